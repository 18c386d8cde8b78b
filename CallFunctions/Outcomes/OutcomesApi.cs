using Azure;
using CallFunctions.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Outcomes;

public static class OutcomesApi
{
    public const string Route = "/api/calls/outcomes";
    public const string SummaryRoute = "/api/outcomes/summary";

    /// <summary>The callbackUri given on reject: records how each call ended; other notifications are ignored.</summary>
    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext http, NotificationBatch batch, CancellationToken ct) =>
            batch.HandleAsync(http, terminationsOnly: true, ct));
        return app;
    }

    /// <summary>For operators (a function key guards it), not for Graph: mapped apart from the webhooks.</summary>
    public static IEndpointRouteBuilder MapOutcomesSummary(this IEndpointRouteBuilder app)
    {
        app.MapGet(SummaryRoute, SummaryAsync);
        return app;
    }

    /// <summary>How calls ended between <c>?from=</c> and <c>?to=</c> (both optional), counted by code and by rule.</summary>
    private static async Task<Results<Ok<OutcomeSummary>, ProblemHttpResult>> SummaryAsync(
        string? from, string? to, OutcomeQueries queries, ILogger<OutcomeQueries> logger, CancellationToken ct)
    {
        if (!OutcomeSummary.TryParseRange(from, to, out var start, out var end, out var errors))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid period", detail: errors[0],
                extensions: new Dictionary<string, object?> { ["errors"] = errors });
        try
        {
            return TypedResults.Ok(await queries.SummarizeAsync(start, end, ct));
        }
        catch (RequestFailedException e)
        {
            Log.SummaryFailed(logger, e);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
                detail: "The call records could not be read; try again.");
        }
    }
}
