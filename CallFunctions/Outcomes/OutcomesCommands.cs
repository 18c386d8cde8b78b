using Azure.Data.Tables;
using CallFunctions.Storage;
using C = CallFunctions.Outcomes.CallRecords.Columns;

namespace CallFunctions.Outcomes;

internal static class OutcomesCommands
{
    public static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        var table = services.GetRequiredKeyedService<TableClient>(StorageSetup.OutcomesTable);
        var records = new List<TableEntity>();
        await table.CreateIfNotExistsAsync();
        await foreach (var record in table.QueryAsync<TableEntity>()) records.Add(record);

        await output.WriteLineAsync($"{"call",-38} {"caller",-26} {"action",-7} {"rule",-20} {"graph",-6} {"code",-10} meaning");
        foreach (var r in records.OrderByDescending(r => r.GetDateTimeOffset(C.TerminatedAt) ?? r.GetDateTimeOffset(C.DecidedAt)))
        {
            var graph = r.GetBoolean(C.DryRun) == true ? "dry" : r.GetInt32(C.GraphStatus)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var code = r.GetInt32(C.Code) is { } c ? $"{c}/{r.GetInt32(C.Subcode)}" : "";
            await output.WriteLineAsync(
                $"{r.PartitionKey,-38} {Cut(r.GetString(C.Caller), 26),-26} {r.GetString(C.Action),-7} {Cut(r.GetString(C.Rule), 20),-20} {graph,-6} {code,-10} {r.GetString(C.Meaning)}");
        }
        await output.WriteLineAsync($"{records.Count} call record(s).");
        return 0;
    }

    private static string Cut(string? text, int width) => text is null ? "" : text.Length <= width ? text : text[..(width - 1)] + "…";
}
