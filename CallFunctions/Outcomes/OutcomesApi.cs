using CallFunctions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Outcomes;

/// <summary>The OutcomesSummary function's work: for operators (a function key guards it), not for Graph.</summary>
public sealed class OutcomesApi(OutcomeQueries queries, ILogger<OutcomeQueries> logger)
{
    public async Task<Results<Ok<OutcomeSummary>, ProblemHttpResult>> SummaryAsync(string? from, string? to, CancellationToken ct)
    {
        if (!OutcomeSummary.TryParseRange(from, to, out var start, out var end, out var errors))
            return OutcomeQueries.InvalidPeriod(errors);
        try
        {
            return TypedResults.Ok(await queries.SummarizeAsync(start, end, ct));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.SummaryFailed(logger, e);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
                detail: "The call records could not be read; try again.");
        }
    }
}
