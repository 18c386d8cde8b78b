using CallFunctions.Calls;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Telemetry;

namespace CallFunctions.Screening;

/// <summary>What the screener writes: a decision with Graph's answer, or how the call ended.</summary>
public sealed class CallRecorder(CallRecords records, Terminations terminations, TimeProvider clock)
{
    public Task RecordDecisionAsync(
        CallEvent call, CallContext context, Decision decision, DateTimeOffset? receivedAt, GraphResult? result, CancellationToken ct) =>
        records.SaveAsync(
            CallRecord.Decision(call.CallId, context, call.ChainId, receivedAt, decision, result, clock.GetUtcNow()), RecordKind.Decision, ct);

    /// <summary>The termination's meaning, as recorded.</summary>
    public Task<string> RecordEndAsync(CallEvent call, CancellationToken ct) => terminations.RecordAsync(call, ct);
}
