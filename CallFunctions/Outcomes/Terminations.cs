using CallFunctions.Notifications;
using C = CallFunctions.Outcomes.CallRecords.Columns;

namespace CallFunctions.Outcomes;

/// <summary>Records how a call ended, merged into the call's record so its rule and action stay beside it.</summary>
public sealed class Terminations(CallRecords records, TimeProvider clock, ILogger<Terminations> logger)
{
    public async Task<string> RecordAsync(CallEvent call, CancellationToken ct)
    {
        var result = call.Result;
        var meaning = TerminationCodes.Describe(result?.Code, result?.Subcode);
        var entity = CallRecords.NewEntity(call.CallId);
        entity[C.TerminatedAt] = clock.GetUtcNow();
        entity[C.Meaning] = meaning;
        if (result?.Code is { } code) entity[C.Code] = code;
        if (result?.Subcode is { } subcode) entity[C.Subcode] = subcode;
        if (result?.Message is { } message) entity[C.Message] = message;
        if (call.TenantId is { } tenant) entity[C.TenantId] = tenant;
        if (call.ChainId is { } chain) entity[C.ChainId] = chain;
        await records.SaveAsync(entity, "termination", ct);
        Log.TerminationRecorded(logger, call.CallId, result?.Code, result?.Subcode, meaning);
        return meaning;
    }
}
