using CallFunctions.Operators.Outcomes;
using CallFunctions.Records;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.RuleTable.Files;
using Microsoft.Extensions.Options;

namespace CallFunctions.Operators.WhatIf;

/// <summary>What a rules file would have decided for the calls of a period: the tool, the route and the page share it.</summary>
public sealed class WhatIfService(OutcomeQueries queries, IOptions<RulesOptions> rulesOptions)
{
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
