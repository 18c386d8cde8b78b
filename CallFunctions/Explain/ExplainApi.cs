using Azure;
using CallFunctions.Notifications;
using CallFunctions.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Explain;

public static class ExplainApi
{
    public const string Route = "/api/rules/explain";

    public static IServiceCollection AddExplain(this IServiceCollection services) => services.AddSingleton<CallExplainer>();

    /// <summary>What the rules in use would decide for a notification envelope (optionally <c>?at=</c> another time).</summary>
    public static IEndpointRouteBuilder MapExplain(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ExplainAsync);
        return app;
    }

    private static async Task<Results<Ok<ExplainReport>, ProblemHttpResult>> ExplainAsync(
        HttpContext http, string? at, CallExplainer explainer, RuleCache rules, TimeProvider clock, ILogger<CallExplainer> logger,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (at is not null && !TimeArgument.TryParse(at, out now, out var error)) return Problem(400, "Invalid time", $"at: {error}");
        var (body, tooLarge) = await RequestBody.ReadAsync(http.Request, ct);
        if (tooLarge is not null) return tooLarge;

        var envelope = NotificationParser.Parse(body);
        if (envelope is Envelope.Invalid invalid) return Problem(400, "Invalid notification", invalid.Detail);
        if (envelope is not Envelope.Batch { Items.Count: > 0 } batch)
            return Problem(400, "Invalid notification", "Nothing to explain: the body must be a commsNotifications envelope with at least one notification.");
        try
        {
            return TypedResults.Ok(await explainer.ExplainAsync(batch.Items, await rules.GetAsync(ct), now, rules.LoadedAt, ct));
        }
        catch (RequestFailedException e)
        {
            Log.RecordUnreadable(logger, e);
            return Problem(503, "Storage unavailable", "A call's record could not be read; try again.");
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
