using Azure.Data.Tables;
using CallFunctions.Platform;

using CallFunctions.Rules;

namespace CallFunctions.RuleTable;

/// <summary>Reads the rules table whole: the cache, the tools and the explain endpoint all start from its rows.</summary>
public static class RuleTableReader
{
    /// <summary>Columns the table service adds to every row; they are not part of a rule and are never exported.</summary>
    public static bool IsSystemColumn(string name) => name is "odata.etag" or "Timestamp";

    public static Task<List<TableEntity>> ReadAsync(TableClient table, CancellationToken ct) =>
        table.WithTableAsync(async token =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: token)) rows.Add(row);
            return rows;
        }, ct);

    /// <summary>Parses every row; a bad row becomes an error beside the good rules.</summary>
    public static RuleSet Parse(IEnumerable<TableEntity> rows)
    {
        var rules = new List<Rule>();
        var errors = new List<RowError>();
        foreach (var row in rows)
        {
            var (rule, error) = RuleRow.Parse(row);
            if (rule is not null) rules.Add(rule);
            if (error is not null) errors.Add(error);
        }
        return new RuleSet(rules, errors);
    }
}
