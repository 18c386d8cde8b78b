using CallFunctions.Storage;

namespace CallFunctions.Outcomes;

/// <summary>Writes held records to Table Storage once it answers again, oldest first, and forgets them only then.</summary>
public sealed class SpoolDrainer(RecordSpool spool, CallRecords records, ILogger<SpoolDrainer> logger) : BackgroundService
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
