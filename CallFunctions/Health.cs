using CallFunctions.Records;
using CallFunctions.RuleTable;
using CallFunctions.Webhook;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>For a readiness check: answers from memory, touching neither Graph nor Table Storage.</summary>
public sealed class Health(RuleCache rules, RecordSpool spool, InFlight inFlight, TimeProvider clock)
{
    public sealed record Report(string Status, DateTimeOffset? RulesLoadedAt, double? RulesAgeSeconds, int Rules, bool RecordsWaitingForStorage, int InFlight);

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
            inFlight.Count));
    }
}
