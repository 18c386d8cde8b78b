using CallFunctions.Platform;
using CallFunctions.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Operators.Outcomes;

/// <summary>The OutcomesSummary function's work: for operators (a function key guards it), not for Graph.</summary>
public sealed class OutcomesApi(OutcomeQueries queries, ILogger<OutcomesApi> logger)
{
    public async Task<Results<Ok<OutcomeSummary>, ProblemHttpResult>> SummaryAsync(HttpRequest request, CancellationToken ct)
    {
        if (!OutcomeSummary.TryParseRange(request.Query["from"], request.Query["to"], out var start, out var end, out var errors))
            return OutcomeQueries.InvalidPeriod(errors);
        try
        {
            return TypedResults.Ok(await queries.SummarizeAsync(start, end, ct));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.SummaryFailed(logger, e);
            return StorageFailure.Answer(request.HttpContext.Response);
        }
    }
}
