using System.Collections.Concurrent;

namespace CallFunctions.Webhook;

/// <summary>
/// Work that outlives the request that started it (a reject still retrying after the webhook answered). On shutdown
/// the host stops the server first, then waits here for this work to finish, so nothing accepted is dropped.
/// </summary>
public sealed class InFlight(ILogger<InFlight> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    public int Count => _running.Count;

    public Task Run(Func<Task> work)
    {
        var task = Task.Run(work);
        _running.TryAdd(task, true);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running.IsEmpty) return;
        Log.WaitingForWork(logger, _running.Count);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.WorkAbandoned(logger, _running.Count);
        }
        catch (Exception)
        {
            // Each piece of work logged its own failure.
        }
    }
}

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "Shutting down: waiting for {Count} notification batch(es) still in flight")]
    public static partial void WaitingForWork(ILogger logger, int count);

    [LoggerMessage(6002, LogLevel.Error, "Shutdown timeout: {Count} notification batch(es) did not finish")]
    public static partial void WorkAbandoned(ILogger logger, int count);
}
