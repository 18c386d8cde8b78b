using CallFunctions.Records;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// Every hour at :15 UTC, deletes the call records older than <c>Outcomes__RetentionDays</c> (phone numbers are personal
/// data). The host's timer keeps its schedule and a lock in <c>AzureWebJobsStorage</c>'s blobs: one instance runs it.
/// </summary>
public sealed class OutcomesRetention(RecordRetention retention, ILogger<OutcomesRetention> logger)
{
    public const string Schedule = "0 15 * * * *";

    [Function(nameof(OutcomesRetention))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken ct)
    {
        if (timer.IsPastDue) Records.Log.RetentionPastDue(logger);
        // The pass logs what it deleted (records with their claims, index entries, whole day tables) and the cutoff.
        var report = await retention.RunOnceAsync(ct);
        if (report.Cutoff is null) Records.Log.RetentionOff(logger);
    }
}
