using Azure.Data.Tables;

using CallFunctions.Rules;
using CallFunctions.RuleTable;

namespace CallFunctions.RuleTable.Files;

public enum RulesFormat { Json, Csv }

/// <summary>Rules files for review in version control: JSON or CSV, chosen by the file's extension.</summary>
public static class RulesFile
{
    public static RulesFormat FormatOf(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? RulesFormat.Csv : RulesFormat.Json;

    /// <summary>Rows sorted by key, so an export of an unchanged table is byte-for-byte the same file.</summary>
    public static string Write(IEnumerable<TableEntity> rows, RulesFormat format)
    {
        var sorted = rows
            .OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)
            .Select(WithoutSystemColumns)
            .ToList();
        return format == RulesFormat.Csv ? RulesCsv.Write(sorted) : RulesJson.Write(sorted);
    }

    /// <exception cref="FormatException">The file is not a rules file; the message says where.</exception>
    public static List<TableEntity> Read(string text, RulesFormat format)
    {
        try
        {
            return format == RulesFormat.Csv ? RulesCsv.Read(text) : RulesJson.Read(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}");
        }
    }

    /// <summary>Keys first, then the rule columns in docs/rules.md's order, then any other column by name.</summary>
    public static List<string> ColumnOrder(IReadOnlyCollection<TableEntity> rows)
    {
        var present = rows.SelectMany(r => r.Keys).Where(k => !RuleTableReader.IsSystemColumn(k)).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. new[] { "PartitionKey", "RowKey" }.Concat(RuleRow.Columns).Where(present.Contains),
            .. present.Where(c => c is not ("PartitionKey" or "RowKey") && !RuleRow.Columns.Contains(c)).Order(StringComparer.Ordinal),
        ];
    }

    internal static void CheckKeys(TableEntity row, string where)
    {
        foreach (var key in new[] { "PartitionKey", "RowKey" })
        {
            if (!row.TryGetValue(key, out var value) || value is null)
                throw new FormatException($"{where} has no {key}");
            if (value is not string) throw new FormatException($"{where}: {key} must be a string");
        }
    }

    private static TableEntity WithoutSystemColumns(TableEntity row)
    {
        var copy = new TableEntity();
        foreach (var (key, value) in row)
            if (!RuleTableReader.IsSystemColumn(key) && value is not null) copy[key] = value;
        return copy;
    }
}
