using CallFunctions.Model;
using CallFunctions.Telemetry;

namespace CallFunctions.Outcomes;

/// <summary>Records how a call ended, merged into the call's record so its rule and action stay beside it.</summary>
public sealed class Terminations(CallRecords records, TimeProvider clock, ILogger<Terminations> logger)
{
    public async Task<string> RecordAsync(CallEvent call, CancellationToken ct)
    {
        var result = call.Result;
        var meaning = TerminationCodes.Describe(result?.Code, result?.Subcode);
        await records.SaveAsync(CallRecord.Termination(call, meaning, clock.GetUtcNow()), RecordKind.Termination, ct);
        Log.TerminationRecorded(logger, call.CallId, result?.Code, result?.Subcode, meaning);
        return meaning;
    }
}
