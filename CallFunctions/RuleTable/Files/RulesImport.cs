using Azure;
using Azure.Data.Tables;
using CallFunctions.Platform;
using CallFunctions.RuleTable;

namespace CallFunctions.RuleTable.Files;

/// <summary>What an import changes in the table: rows to add, to replace, and (with --prune) to delete.</summary>
public sealed record ImportPlan(
    IReadOnlyList<TableEntity> Added,
    IReadOnlyList<TableEntity> Updated,
    IReadOnlyList<TableEntity> Unchanged,
    IReadOnlyList<TableEntity> Removed)
{
    public static ImportPlan Compute(IReadOnlyList<TableEntity> table, IReadOnlyList<TableEntity> file, bool prune)
    {
        var existing = table.ToDictionary(Key);
        var wanted = file.Select(Key).ToHashSet();
        var added = new List<TableEntity>();
        var updated = new List<TableEntity>();
        var unchanged = new List<TableEntity>();
        foreach (var row in file)
        {
            if (!existing.TryGetValue(Key(row), out var current)) added.Add(row);
            else if (SameColumns(current, row)) unchanged.Add(row);
            else updated.Add(row);
        }
        var removed = prune ? table.Where(r => !wanted.Contains(Key(r))).ToList() : [];
        return new ImportPlan(added, updated, unchanged, removed);
    }

    /// <summary>
    /// Applies the plan in entity-group transactions (one partition, at most 100 rows each), so a partition's rows
    /// change together. Each is safe to send again: a batch applied whose answer was lost is not reported failed.
    /// </summary>
    public async Task ApplyAsync(TableClient table, CancellationToken ct)
    {
        // Repeat after a lost answer: the table exists, the SDK takes the 409 for success.
        await table.CreateIfNotExistsAsync(ct);
        var actions = Added.Concat(Updated).Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))
            .Concat(Removed.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)));
        foreach (var partition in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        foreach (var chunk in partition.Chunk(100))
            // Repeat after a lost answer: upserts replace with the same columns; deletes of rows gone are dropped (404).
            await table.SubmitRepeatableAsync(chunk, ct);
    }

    private static (string, string) Key(TableEntity row) => (row.PartitionKey, row.RowKey);

    /// <summary>Same columns, with the same types and values; the table's Timestamp and ETag do not count.</summary>
    private static bool SameColumns(TableEntity a, TableEntity b)
    {
        var columnsA = a.Keys.Where(k => !RuleTableReader.IsSystemColumn(k) && a[k] is not null).Order(StringComparer.Ordinal).ToList();
        var columnsB = b.Keys.Where(k => !RuleTableReader.IsSystemColumn(k) && b[k] is not null).Order(StringComparer.Ordinal).ToList();
        return columnsA.SequenceEqual(columnsB, StringComparer.Ordinal)
               && columnsA.All(c => EdmValue.TypeOf(a[c]) == EdmValue.TypeOf(b[c]) && EdmValue.Format(a[c]) == EdmValue.Format(b[c]));
    }
}
