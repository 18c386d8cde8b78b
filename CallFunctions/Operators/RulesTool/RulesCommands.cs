using Azure.Data.Tables;
using CallFunctions.Platform;
using CallFunctions.RuleTable;
using CallFunctions.RuleTable.Files;
using Microsoft.Extensions.Options;

namespace CallFunctions.Operators.RulesTool;

/// <summary><c>rules validate</c>, <c>rules export</c>, <c>rules import</c> and <c>rules seed</c>.</summary>
internal static class RulesCommands
{
    public static async Task<int> ValidateAsync(IServiceProvider services, TextWriter output)
    {
        var (table, name) = Table(services);
        var checks = RuleValidator.Validate(await RuleTableReader.ReadAsync(table, CancellationToken.None));
        foreach (var check in checks.OrderBy(c => c.PartitionKey, StringComparer.Ordinal).ThenBy(c => c.RowKey, StringComparer.Ordinal))
            await WriteCheckAsync(check, output, showOk: true);
        var errors = checks.Count(c => c.Status == RowStatus.Error);
        var warnings = checks.Count(c => c.Status == RowStatus.Warning);
        await output.WriteLineAsync(
            $"Table {name}: {checks.Count} row(s), {checks.Count - errors - warnings} ok, {warnings} with warnings, {errors} with errors (skipped by the app).");
        return errors > 0 ? 1 : 0;
    }

    public static async Task<int> ExportAsync(IServiceProvider services, string? file, string? format, TextWriter output, TextWriter error)
    {
        var kind = format?.ToUpperInvariant() switch
        {
            null => file is null ? RulesFormat.Json : RulesFile.FormatOf(file),
            "JSON" => RulesFormat.Json,
            "CSV" => RulesFormat.Csv,
            _ => (RulesFormat?)null,
        };
        if (kind is null)
        {
            await error.WriteLineAsync($"--format must be json or csv, not \"{format}\".");
            return 64;
        }
        var (table, name) = Table(services);
        var rows = await RuleTableReader.ReadAsync(table, CancellationToken.None);
        var text = RulesFile.Write(rows, kind.Value);
        if (file is null)
        {
            // The file goes to standard output, so the report goes to standard error: `rules export > rules.json` works.
            await output.WriteAsync(text);
            await error.WriteLineAsync($"Exported {rows.Count} row(s) of table {name} as {Name(kind.Value)}.");
            return 0;
        }
        // `rules export rules/production.json` in a fresh clone: the folder is made, as for any file a tool writes.
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(file, text);
        await output.WriteLineAsync($"Exported {rows.Count} row(s) of table {name} to {file} ({Name(kind.Value)}).");
        return 0;
    }

    public static async Task<int> ImportAsync(IServiceProvider services, string file, bool prune, TextWriter output, TextWriter error)
    {
        if (await ReadValidAsync(file, output, error) is not { } rows) return 1;
        var (table, name) = Table(services);
        var plan = ImportPlan.Compute(await RuleTableReader.ReadAsync(table, CancellationToken.None), rows, prune);
        await plan.ApplyAsync(table, CancellationToken.None);
        foreach (var row in plan.Added) await output.WriteLineAsync($"  added      {row.PartitionKey}/{row.RowKey}");
        foreach (var row in plan.Updated) await output.WriteLineAsync($"  updated    {row.PartitionKey}/{row.RowKey}");
        foreach (var row in plan.Removed) await output.WriteLineAsync($"  removed    {row.PartitionKey}/{row.RowKey}");
        await output.WriteLineAsync(
            $"Imported {file} into table {name}: {plan.Added.Count} added, {plan.Updated.Count} updated, {plan.Unchanged.Count} unchanged, " +
            $"{plan.Removed.Count} removed{(prune ? "" : " (rows absent from the file are kept; --prune removes them)")}.");
        return 0;
    }

    /// <summary>Adds the rules of a file when the table has none, so a first run has examples.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, string file, TextWriter output, TextWriter error)
    {
        var (table, name) = Table(services);
        // Repeat after a lost answer: the table exists, and the SDK takes the 409 for success.
        await table.CreateIfNotExistsAsync();
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"]))
        {
            await output.WriteLineAsync($"Table {name} already has rules: nothing seeded.");
            return 0;
        }
        if (await ReadValidAsync(file, output, error) is not { } rows) return 1;
        await ImportPlan.Compute([], rows, prune: false).ApplyAsync(table, CancellationToken.None);
        await output.WriteLineAsync($"Seeded {rows.Count} example rule(s) into table {name}:");
        foreach (var row in rows.OrderBy(r => r.GetInt32("Priority")))
            await output.WriteLineAsync($"  {row.PartitionKey,-8} {row.RowKey,-22} {Describe(row)}");
        return 0;
    }

    /// <summary>The file's rows when every one is valid; otherwise prints why and returns null, and nothing is written.</summary>
    private static async Task<List<TableEntity>?> ReadValidAsync(string file, TextWriter output, TextWriter error)
    {
        List<TableEntity> rows;
        try
        {
            rows = RulesFile.Read(await File.ReadAllTextAsync(file), RulesFile.FormatOf(file));
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"{file}: {e.Message}. Nothing was changed.");
            return null;
        }
        var checks = RuleValidator.Validate(rows);
        foreach (var check in checks) await WriteCheckAsync(check, check.Status == RowStatus.Error ? error : output, showOk: false);
        var bad = checks.Count(c => c.Status == RowStatus.Error);
        if (bad == 0) return rows;
        await error.WriteLineAsync($"{file}: {bad} of {rows.Count} row(s) have errors. Nothing was changed.");
        return null;
    }

    private static async Task WriteCheckAsync(RowCheck check, TextWriter output, bool showOk)
    {
        var keys = $"PartitionKey={check.PartitionKey} RowKey={check.RowKey}";
        if (check.Issues.Count == 0)
        {
            if (showOk) await output.WriteLineAsync($"ok       {keys}{(check.Enabled ? "" : " (disabled)")}");
            return;
        }
        foreach (var issue in check.Issues.OrderByDescending(i => i.IsError))
            await output.WriteLineAsync(
                $"{(issue.IsError ? "error" : "warning"),-8} {keys}: column {issue.Column}{(issue.Value is null ? "" : $" = \"{issue.Value}\"")} {issue.Why}");
    }

    private static string Name(RulesFormat format) => format.ToString().ToUpperInvariant();

    private static (TableClient Table, string Name) Table(IServiceProvider services) => (
        services.GetRequiredKeyedService<TableClient>(StorageSetup.RulesTable),
        services.GetRequiredService<IOptions<RulesOptions>>().Value.Table);

    private static string Describe(TableEntity row) =>
        string.Join(" ", row.Keys
            .Where(k => k is not ("PartitionKey" or "RowKey") && !RuleTableReader.IsSystemColumn(k))
            .Select(k => $"{k}={row[k]}"));
}
