using Azure.Data.Tables;
using CallFunctions.Platform;

using CallFunctions.Records;

namespace CallFunctions.Operators.Outcomes;

internal static class OutcomesCommands
{
    public static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        var table = services.GetRequiredKeyedService<TableClient>(StorageSetup.OutcomesTable);
        var records = new List<CallRecord>();
        // Repeat after a lost answer: the table exists, and the SDK takes the 409 for success.
        await table.CreateIfNotExistsAsync();
        // The call's partition also holds its claims; the record is the row "call".
        await foreach (var record in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {CallRecord.RowKey}")))
            records.Add(CallRecord.From(record));

        await output.WriteLineAsync($"{"call",-38} {"caller",-26} {"action",-24} {"target",-26} {"rule",-20} {"graph",-6} {"code",-10} meaning");
        foreach (var r in records.OrderByDescending(r => r.Ended?.At ?? r.Decided?.DecidedAt))
        {
            var graph = r.Graph?.DryRun == true ? "dry" : r.Graph?.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var code = r.Ended?.Code is { } c ? $"{c}/{r.Ended.Subcode}" : "";
            await output.WriteLineAsync(
                $"{r.CallId,-38} {Cut(r.Caller, 26),-26} {ActionCell(r),-24} {Cut(r.Decided?.Target, 26),-26} {Cut(r.Decided?.Rule, 20),-20} {graph,-6} {code,-10} {r.Ended?.Described}");
        }
        await output.WriteLineAsync($"{records.Count} call record(s).");
        return 0;
    }

    public static async Task<int> SummaryAsync(IServiceProvider services, string? fromText, string? toText, TextWriter output, TextWriter error)
    {
        if (!OutcomeSummary.TryParseRange(fromText, toText, out var from, out var to, out var errors))
        {
            foreach (var problem in errors) await error.WriteLineAsync($"--{problem}");
            return 64;
        }
        var summary = await services.GetRequiredService<OutcomeQueries>().SummarizeAsync(from, to, CancellationToken.None);

        await output.WriteLineAsync($"Terminations from {Time(summary.From) ?? "the first record"} to {Time(summary.To) ?? "now"}: {summary.Terminations}");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"count",6}  {"code",5}  {"subcode",7}  meaning");
        foreach (var c in summary.ByCode)
            await output.WriteLineAsync($"{c.Count,6}  {Number(c.Code),5}  {Number(c.Subcode),7}  {c.Meaning}");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"count",6}  {"rule",-28}  action");
        foreach (var r in summary.ByRule)
            await output.WriteLineAsync($"{r.Count,6}  {Cut(r.Rule, 28),-28}  {r.ActionText}{(r.Target is null ? "" : $" to {r.Target}")}");
        if (summary.ByChallenge is { Count: > 0 } challenges)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"count",6}  {"challenge rule",-28}  result");
            foreach (var c in challenges) await output.WriteLineAsync($"{c.Count,6}  {Cut(c.Rule, 28),-28}  {c.Result}");
        }
        return 0;
    }

    /// <summary>The action, and for a challenge its result: <c>Challenge passed</c>.</summary>
    private static string ActionCell(CallRecord r) =>
        r.Challenge is { } challenge ? $"{r.Decided?.ActionText} {challenge.Result ?? ChallengeCount.Undecided}" : r.Decided?.ActionText ?? "";

    private static string Number(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Cut(string? text, int width) => text is null ? "" : text.Length <= width ? text : text[..(width - 1)] + "…";
}
