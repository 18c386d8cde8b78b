using Azure.Data.Tables;

namespace CallFunctions.Benchmarks;

/// <summary>Rule rows for the benchmarks, typed as people enter them in Storage Explorer.</summary>
internal static class BenchmarkRules
{
    /// <summary>The handful of rules every real table has, which the index cannot help: they are always scanned.</summary>
    public static List<TableEntity> Common() =>
    [
        Row("anonymous", 1, "Reject", ("Caller", "anonymous")),
        Row("premium", 2, "Reject", ("Caller", "+1900*, re:^\\+44(9|87)")),
        Row("night", 3, "Reject", ("Hours", "22:00-06:00"), ("TimeZone", "Europe/Paris")),
    ];

    public static TableEntity Row(string name, int priority, string action, params (string Column, string? Value)[] columns)
    {
        var row = new TableEntity("default", name) { ["Priority"] = priority, ["Action"] = action };
        foreach (var (column, value) in columns)
            if (value is not null) row[column] = value;
        return row;
    }
}
