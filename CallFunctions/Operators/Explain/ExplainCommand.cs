using Azure.Data.Tables;
using CallFunctions.Notifications;
using CallFunctions.Platform;
using CallFunctions.RuleTable;

namespace CallFunctions.Operators.Explain;

internal static class ExplainCommand
{
    /// <summary><c>rules explain notification.json [--at time]</c>: the rules as the table holds them now, no Graph call.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string file, string? at, TextWriter output, TextWriter error)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        if (at is not null && !TimeArgument.TryParse(at, out now, out var bad))
        {
            await error.WriteLineAsync($"--at: {bad}");
            return 1;
        }
        switch (NotificationParser.Parse(await File.ReadAllBytesAsync(file)))
        {
            case Envelope.Invalid invalid:
                await error.WriteLineAsync($"{file}: {invalid.Detail}");
                return 1;
            case Envelope.Batch { Items.Count: > 0 } batch:
                var table = services.GetRequiredKeyedService<TableClient>(StorageSetup.RulesTable);
                var readAt = clock.GetUtcNow();
                var rules = RuleTableReader.Parse(await RuleTableReader.ReadAsync(table, CancellationToken.None));
                var explainer = services.GetRequiredService<CallExplainer>();
                await ExplainText.WriteAsync(await explainer.ExplainAsync(batch.Items, rules, now, readAt, CancellationToken.None), output);
                return 0;
            default:
                await error.WriteLineAsync($"{file}: nothing to explain (a legacy-format or empty envelope).");
                return 1;
        }
    }
}
