using CallFunctions.Records;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// Every 5 minutes, asks Graph about the calls recorded without an end for longer than
/// <c>Outcomes__ReconcileAfterMinutes</c>, and closes those Graph no longer has (<see cref="Reconciler"/>). The host's
/// timer keeps its schedule and a lock in <c>AzureWebJobsStorage</c>'s blobs: one instance runs it.
/// </summary>
public sealed class OutcomesReconcile(Reconciler reconciler, ILogger<OutcomesReconcile> logger)
{
    public const string Schedule = "0 */5 * * * *";

    [Function(nameof(OutcomesReconcile))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken ct)
    {
        if (timer.IsPastDue) Records.Log.ReconcilePastDue(logger);
        // The run logs what it found and did (event 4050).
        await reconciler.RunOnceAsync(ct);
    }
}
