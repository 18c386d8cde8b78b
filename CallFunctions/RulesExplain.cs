using CallFunctions.Operators.Explain;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>What the rules in use would decide for a notification envelope (optionally <c>?at=</c> another time).</summary>
public sealed class RulesExplain(ExplainApi explain)
{
    [Function(nameof(RulesExplain))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rules/explain")] HttpRequest request, CancellationToken ct) =>
        await explain.ExplainAsync(request, request.Query["at"], ct);
}
