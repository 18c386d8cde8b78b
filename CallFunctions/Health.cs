using CallFunctions.Records;
using CallFunctions.RuleTable;
using CallFunctions.Webhook;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>For a readiness check: answers from memory, touching neither Graph nor Table Storage.</summary>
public sealed class Health(RuleCache rules, RecordSpool spool, InFlight inFlight, CallMemory calls, TimeProvider clock)
{
    /// <param name="CallsRemembered">The calls this instance remembers (<see cref="CallMemory"/>), against its bound.</param>
    public sealed record Report(
        string Status, DateTimeOffset? RulesLoadedAt, double? RulesAgeSeconds, int Rules, bool RecordsWaitingForStorage, int InFlight, int CallsRemembered);

    [Function(nameof(Health))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var loaded = rules.LoadedAt;
        return TypedResults.Ok(new Report(
            "ok",
            loaded,
            loaded is { } at ? Math.Round((clock.GetUtcNow() - at).TotalSeconds, 1) : null,
            rules.Current.Rules.Count,
            !spool.IsEmpty,
            inFlight.Count,
            calls.Count));
    }
}
