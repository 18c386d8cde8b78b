using CallFunctions.Outcomes;
using CallFunctions.Rules;

namespace CallFunctions.Telemetry;

public static class HealthApi
{
    public const string Route = "/api/health";

    public sealed record Health(string Status, DateTimeOffset? RulesLoadedAt, double? RulesAgeSeconds, int Rules, bool RecordsWaitingForStorage, int InFlight);

    /// <summary>For the host's readiness check: answers from memory, touching neither Graph nor Table Storage.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (RuleCache rules, RecordSpool spool, InFlight inFlight, TimeProvider clock) =>
        {
            var loaded = rules.LoadedAt;
            return TypedResults.Ok(new Health(
                "ok",
                loaded,
                loaded is { } at ? Math.Round((clock.GetUtcNow() - at).TotalSeconds, 1) : null,
                rules.Current.Rules.Count,
                !spool.IsEmpty,
                inFlight.Count));
        });
        return app;
    }
}
