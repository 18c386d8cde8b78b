using CallFunctions.Operators.Outcomes;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>How calls ended between <c>?from=</c> and <c>?to=</c> (both optional), counted by code and by rule.</summary>
public sealed class OutcomesSummary(OutcomesApi outcomes)
{
    [Function(nameof(OutcomesSummary))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "outcomes/summary")] HttpRequest request, CancellationToken ct) =>
        await outcomes.SummaryAsync(request, ct);
}
