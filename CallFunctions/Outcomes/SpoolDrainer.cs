using CallFunctions.Storage;
using CallFunctions.Telemetry;
using Microsoft.Extensions.Options;

namespace CallFunctions.Outcomes;

/// <summary>
/// Writes held records to Table Storage once it answers again, oldest first, and forgets them only then. When the
/// instance stops it tries once more: Flex Consumption removes an instance with its local disk, and what is still held
/// then is lost.
/// </summary>
public sealed class SpoolDrainer(
    RecordSpool spool, CallRecords records, CallMetrics metrics, IOptions<OutcomesOptions> options, ILogger<SpoolDrainer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SpoolRetrySeconds));
        try
        {
            do
            {
                await DrainAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync makes the last try.
        }
    }

    /// <summary>
    /// After the work in flight (stopped before this: hosted services stop in reverse order), within what is left of
    /// the host's shutdown time.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (spool.IsEmpty) return;
        try
        {
            await DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown time ran out: what is left is counted below.
        }
        var left = spool.Count;
        if (left == 0) return;
        Log.HeldAtShutdown(logger, left, spool.Folder);
        metrics.RecordsLeftAtShutdown(left);
    }

    public async Task<int> DrainAsync(CancellationToken ct)
    {
        if (spool.IsEmpty) return 0;
        var written = 0;
        try
        {
            foreach (var (file, entity) in spool.Held())
            {
                // An upsert-merge of the whole held change: repeated after a lost answer, it merges the same columns again.
                await records.WriteAsync(entity, ct);
                File.Delete(file);
                written++;
            }
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.StillUnavailable(logger, written);
            return written;
        }
        if (written > 0) Log.SpoolDrained(logger, written);
        return written;
    }
}
