using System.Text;
using CallFunctions.Notifications;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Platform;
using CallFunctions.RuleTable.Files;

namespace CallFunctions.Operators.WhatIf;

/// <summary><c>POST /api/rules/whatif[?from=&amp;to=]</c>, function <c>RulesWhatIf</c> (function key): the body is a rules file.</summary>
public sealed class WhatIfApi(WhatIfService whatIf, OutcomeQueries queries, ILogger<WhatIfApi> logger)
{
    /// <summary>
    /// A JSON rules file (or CSV, with <c>Content-Type: text/csv</c>) in; the replay as JSON out, or a 400
    /// <c>application/problem+json</c> naming what is wrong with the file or the period.
    /// </summary>
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken ct)
    {
        if (!queries.TryParsePeriod(request.Query["from"], request.Query["to"], out var from, out var to, out var periodErrors))
            return OutcomeQueries.InvalidPeriod(periodErrors);
        var (body, problem) = await RequestBody.ReadAsync(request, ct);
        if (problem is not null) return problem;
        var format = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ? RulesFormat.Csv : RulesFormat.Json;
        if (!WhatIfService.TryReadRules(Encoding.UTF8.GetString(body.Span), format, out var rules, out var errors))
            return Problem(400, "Invalid rules file", errors);
        try
        {
            return TypedResults.Ok(await whatIf.RunAsync(rules, from, to, ct));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.RecordsUnreadable(logger, e);
            return StorageFailure.Answer(request.HttpContext.Response);
        }
    }

    private static IResult Problem(int status, string title, List<string> errors) =>
        TypedResults.Problem(statusCode: status, title: title, detail: errors[0], extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
