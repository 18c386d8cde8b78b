using System.Text;
using CallFunctions.Notifications;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Platform;
using CallFunctions.RuleTable.Files;
using CallFunctions.RuleTable;
using CallFunctions.Rules;
using Microsoft.Extensions.Options;

namespace CallFunctions.Operators.WhatIf;

/// <summary>
/// What a rules file would have decided for the calls of a period: <c>POST /api/rules/whatif[?from=&amp;to=]</c>,
/// function <c>RulesWhatIf</c> (function key), whose body is a rules file; the tool and the page ask here too.
/// </summary>
public sealed class WhatIfApi(OutcomeQueries queries, IOptions<RulesOptions> rulesOptions, ILogger<WhatIfApi> logger)
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
        if (!TryReadRules(Encoding.UTF8.GetString(body.Span), format, out var rules, out var errors))
            return Problem(400, "Invalid rules file", errors);
        try
        {
            return TypedResults.Ok(await RunAsync(rules, from, to, ct));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.RecordsUnreadable(logger, e);
            return StorageFailure.Answer(request.HttpContext.Response);
        }
    }

    private static IResult Problem(int status, string title, List<string> errors) =>
        TypedResults.Problem(statusCode: status, title: title, detail: errors[0], extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public async Task<WhatIfReport> RunAsync(RuleSet rules, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        WhatIfReplay.Replay(await queries.CallsAsync(from, to, ct), rules, rulesOptions.Value.ToFallback(), from, to);

    /// <summary>
    /// The rules of a file as <c>rules export</c> writes it. Every row must be valid, as for <c>rules import</c>: a row
    /// the webhook would skip would make the comparison say less than it seems to.
    /// </summary>
    public static bool TryReadRules(string text, RulesFormat format, out RuleSet rules, out List<string> errors)
    {
        rules = RuleSet.Empty;
        errors = [];
        List<Azure.Data.Tables.TableEntity> rows;
        try
        {
            rows = RulesFile.Read(text, format);
        }
        catch (FormatException e)
        {
            errors.Add($"not a rules file: {e.Message}.");
            return false;
        }
        foreach (var check in RuleValidator.Validate(rows))
        foreach (var issue in check.Issues.Where(i => i.IsError))
            errors.Add($"PartitionKey={check.PartitionKey} RowKey={check.RowKey}: column {issue.Column}{(issue.Value is null ? "" : $" = \"{issue.Value}\"")} {issue.Why}");
        if (errors.Count > 0) return false;
        rules = RuleTableReader.Parse(rows);
        return true;
    }
}
