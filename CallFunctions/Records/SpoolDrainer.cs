using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>
/// Writes held records to Table Storage once it answers again, oldest first, and forgets them only then; and once more
/// when the instance stops, since Flex Consumption removes an instance's disk with it.
/// </summary>
public sealed class SpoolDrainer(RecordSpool spool, CallRecords records, CallMetrics metrics, ILogger<SpoolDrainer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await DrainAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// After the work in flight (stopped before this service: it was registered later), which may have held records of
    /// its own, one more pass within what is left of the host's shutdown time. What stays is said at Error and counted.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown time is up: what is left is counted below.
        }
        var left = spool.Count;
        if (left == 0) return;
        Log.HeldAtShutdown(logger, left, spool.Location);
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
                // Repeat: a write whose answer was lost, or a file not deleted before the instance stopped, is written again
                // by the next pass; the merge gives the same record, and the index the same entries.
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
