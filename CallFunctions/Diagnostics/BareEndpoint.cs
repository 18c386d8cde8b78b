namespace CallFunctions.Diagnostics;

/// <summary>
/// <c>POST /api/bench/bare</c> answers 202 and does nothing else: the benchmarks' baseline for the webhook's
/// throughput, served by the same process, Kestrel settings and middleware. Mapped only when
/// Diagnostics__BareEndpoint=true; it has no function.json, so a deployed app never routes to it.
/// </summary>
internal static class BareEndpoint
{
    public static void MapBareEndpoint(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Diagnostics:BareEndpoint")) return;
        app.MapPost("/api/bench/bare", () => TypedResults.Accepted((string?)null));
    }
}
