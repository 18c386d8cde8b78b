using System.Text.Json;
using Azure.Data.Tables;
using CallFunctions.Storage;
using Microsoft.Extensions.Options;

namespace CallFunctions.Rules;

internal static class RulesCommands
{
    /// <summary>Adds the rules of a JSON file (an array of rows) when the table has none, so a first run has examples.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, string file, TextWriter output)
    {
        var table = services.GetRequiredKeyedService<TableClient>(StorageSetup.RulesTable);
        var name = services.GetRequiredService<IOptions<RulesOptions>>().Value.Table;
        await table.CreateIfNotExistsAsync();
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"]))
        {
            await output.WriteLineAsync($"Table {name} already has rules: nothing seeded.");
            return 0;
        }

        var rows = RowsFromJson(await File.ReadAllTextAsync(file));
        foreach (var row in rows)
        {
            var (_, error) = RuleRow.Parse(row);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"{file}: {error}");
                return 1;
            }
        }
        foreach (var row in rows) await table.AddEntityAsync(row);
        await output.WriteLineAsync($"Seeded {rows.Count} example rule(s) into table {name}:");
        foreach (var row in rows.OrderBy(r => r.GetInt32("Priority")))
            await output.WriteLineAsync($"  {row.PartitionKey,-8} {row.RowKey,-22} {Describe(row)}");
        return 0;
    }

    /// <summary>JSON numbers become Int32 (or Int64/Double), booleans Boolean, strings String, as Storage Explorer types them.</summary>
    public static List<TableEntity> RowsFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var rows = new List<TableEntity>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var row = new TableEntity();
            foreach (var property in item.EnumerateObject())
            {
                row[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Number when property.Value.TryGetInt32(out var i) => i,
                    JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.True or JsonValueKind.False => property.Value.GetBoolean(),
                    _ => property.Value.GetString(),
                };
            }
            rows.Add(row);
        }
        return rows;
    }

    private static string Describe(TableEntity row) =>
        string.Join(" ", row.Keys
            .Where(k => k is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            .Select(k => $"{k}={row[k]}"));
}
