using CallFunctions.Outcomes;
using CallFunctions.Rules;

namespace CallFunctions.Telemetry;

/// <summary>What the health route reports: the rules in memory, records waiting for storage, work in flight.</summary>
public sealed class HealthApi(RuleCache rules, RecordSpool spool, InFlight inFlight, TimeProvider clock)
{
    public sealed record Health(string Status, DateTimeOffset? RulesLoadedAt, double? RulesAgeSeconds, int Rules, bool RecordsWaitingForStorage, int InFlight);

    public IResult Report()
    {
        var loaded = rules.LoadedAt;
        return TypedResults.Ok(new Health(
            "ok",
            loaded,
            loaded is { } at ? Math.Round((clock.GetUtcNow() - at).TotalSeconds, 1) : null,
            rules.Current.Rules.Count,
            !spool.IsEmpty,
            inFlight.Count));
    }
}
