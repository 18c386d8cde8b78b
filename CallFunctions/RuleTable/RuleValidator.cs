using System.Globalization;
using Azure.Data.Tables;

using CallFunctions.Rules;

namespace CallFunctions.RuleTable;

public enum RowStatus { Ok, Warning, Error }

/// <summary>Something about one column of a row: an error skips the row, a warning only deserves a look.</summary>
public sealed record RowIssue(bool IsError, string Column, string? Value, string Why)
{
    public override string ToString() =>
        $"{(IsError ? "error" : "warning")}: column {Column}{(Value is null ? "" : $" = \"{Value}\"")}: {Why}";
}

public sealed record RowCheck(string PartitionKey, string RowKey, bool Enabled, IReadOnlyList<RowIssue> Issues)
{
    public RowStatus Status =>
        Issues.Any(i => i.IsError) ? RowStatus.Error : Issues.Count > 0 ? RowStatus.Warning : RowStatus.Ok;
}

/// <summary>
/// Checks rows as the handler will read them, plus what is legal but likely a mistake: a misspelt column (the rule
/// would ignore it and match more calls than meant), two enabled rules of one scope sharing a Priority.
/// </summary>
public static class RuleValidator
{
    public static IReadOnlyList<RowCheck> Validate(IReadOnlyList<TableEntity> rows)
    {
        var parsed = rows.Select(row => (Row: row, Parsed: RuleRow.Parse(row))).ToList();
        var samePriority = parsed
            .Where(p => p.Parsed.Rule is { Enabled: true })
            .GroupBy(p => (Scope: p.Row.PartitionKey.ToUpperInvariant(), p.Parsed.Rule!.Priority))
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Select(p => (p.Row, Others: g.Where(o => o.Row != p.Row).Select(o => o.Row.RowKey).ToList())))
            .ToDictionary(p => p.Row, p => p.Others);
        var duplicates = rows.GroupBy(r => (r.PartitionKey, r.RowKey)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();

        return [.. parsed.Select(p => Check(p.Row, p.Parsed.Rule, p.Parsed.Error, samePriority, duplicates))];
    }

    private static RowCheck Check(TableEntity row, Rule? rule, RowError? error, Dictionary<TableEntity, List<string>> samePriority,
        HashSet<(string, string)> duplicates)
    {
        var issues = new List<RowIssue>();
        KeyIssue(issues, "PartitionKey", row.PartitionKey);
        KeyIssue(issues, "RowKey", row.RowKey);
        if (duplicates.Contains((row.PartitionKey, row.RowKey)))
            issues.Add(new RowIssue(true, "RowKey", row.RowKey, "appears more than once in this scope"));
        if (error is not null) issues.Add(new RowIssue(true, error.Column, error.Value, error.Why));

        foreach (var column in row.Keys.Where(k => k is not ("PartitionKey" or "RowKey") && !RuleTableReader.IsSystemColumn(k)
                                                   && !RuleRow.Columns.Contains(k)))
        {
            var known = RuleRow.Columns.FirstOrDefault(c => c.Equals(column, StringComparison.OrdinalIgnoreCase));
            issues.Add(new RowIssue(false, column, Text(row[column]), known is null
                ? $"is not a rule column and is ignored (the columns are {string.Join(", ", RuleRow.Columns)})"
                : $"is ignored: column names are case-sensitive, did you mean {known}?"));
        }
        if (rule?.Schedule is { Days: null, Hours: null, Dates: null })
            issues.Add(new RowIssue(false, "TimeZone", Text(row["TimeZone"]), "has no effect without Days, Hours or Dates"));
        if (samePriority.TryGetValue(row, out var others))
            issues.Add(new RowIssue(false, "Priority", Text(row["Priority"]),
                $"is also the Priority of enabled rule(s) {string.Join(", ", others)} in scope {row.PartitionKey}: RowKey decides their order"));
        return new RowCheck(row.PartitionKey ?? "", row.RowKey ?? "", rule?.Enabled ?? true, issues);
    }

    private static void KeyIssue(List<RowIssue> issues, string column, string? key)
    {
        if (string.IsNullOrEmpty(key)) issues.Add(new RowIssue(true, column, null, "is missing"));
        else if (key.Length > 512 || key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
            issues.Add(new RowIssue(true, column, key, "must be at most 512 characters, without / \\ # ? or control characters"));
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
