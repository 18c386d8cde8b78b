using CallFunctions.Operators.WhatIf;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>The recorded calls of a period (<c>?from=</c>, <c>?to=</c>) whose decision the rules file in the body would change.</summary>
public sealed class RulesWhatIf(WhatIfApi whatIf)
{
    [Function(nameof(RulesWhatIf))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rules/whatif")] HttpRequest request, CancellationToken ct) =>
        whatIf.HandleAsync(request, ct);
}
