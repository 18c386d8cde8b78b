using System.Collections.Concurrent;
using CallFunctions.Platform.Performance;

namespace CallFunctions.Webhook;

/// <summary>
/// Work that outlives the request that started it (a reject still retrying after the webhook answered). On shutdown
/// the host stops the server first, then waits here for this work to finish, so nothing accepted is dropped. A burst's
/// memory is given back after it (<see cref="BurstCollection"/>).
/// </summary>
public sealed class InFlight(BurstCollection bursts, ILogger<InFlight> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    public int Count => _running.Count;

    public Task Run(Func<Task> work)
    {
        var task = Task.Run(work);
        _running.TryAdd(task, true);
        bursts.Started(_running.Count);
        _ = task.ContinueWith(Done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private void Done(Task task)
    {
        _running.TryRemove(task, out _);
        if (_running.IsEmpty) bursts.AllDone();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await bursts.DisposeAsync();
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
