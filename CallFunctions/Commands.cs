using CallFunctions.Explain;
using CallFunctions.Outcomes;
using CallFunctions.Rules;

namespace CallFunctions;

/// <summary>
/// The handler's executable doubles as the operator's tool: <c>CallFunctions rules …</c> and <c>CallFunctions outcomes …</c>
/// run against the same settings and tables as the webhook, print what they did, and exit non-zero on failure.
/// </summary>
internal static class Commands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "rules" or "outcomes" or "help" or "--help";

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <param name="args">The command line.</param>
    /// <param name="output">What the command did.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="settings">Settings on top of the environment's (tests point them at their own tables).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IDictionary<string, string?>? settings = null)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args);
        }
        catch (FormatException e)
        {
            return await UsageAsync(error, e.Message);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. line.HostArgs],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Logs go to standard error, so that `rules export > rules.json` writes only the rules.
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCallFunctions(builder.Configuration);
        using var host = builder.Build();
        var services = host.Services;
        try
        {
            return line.Verbs switch
            {
                ["rules", "validate"] => await RulesCommands.ValidateAsync(services, output),
                ["rules", "export"] => await RulesCommands.ExportAsync(services, null, line.Option("format"), output, error),
                ["rules", "export", var file] => await RulesCommands.ExportAsync(services, file, line.Option("format"), output, error),
                ["rules", "import", var file] => await RulesCommands.ImportAsync(services, file, line.Flag("prune"), output, error),
                ["rules", "seed", var file] => await RulesCommands.SeedAsync(services, file, output, error),
                ["rules", "explain", var file] => await ExplainCommand.RunAsync(services, file, line.Option("at"), output, error),
                ["outcomes", "list"] => await OutcomesCommands.ListAsync(services, output),
                ["outcomes", "summary"] => await OutcomesCommands.SummaryAsync(services, line.Option("from"), line.Option("to"), output, error),
                ["help"] or [] => await UsageAsync(output, null),
                _ => await UsageAsync(error, $"unknown command: {string.Join(' ', line.Verbs)}"),
            };
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
        catch (Azure.RequestFailedException e)
        {
            await error.WriteLineAsync($"Table Storage answered {e.Status} {e.ErrorCode}: is AzureWebJobsStorage right and the account reachable?");
            return 1;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> UsageAsync(TextWriter writer, string? problem)
    {
        if (problem is not null) await writer.WriteLineAsync($"Error: {problem}");
        await writer.WriteLineAsync("""
            Usage:
              dotnet run --project CallFunctions -- <command>  (or ./CallFunctions <command> where it is published)
            The webhook itself runs inside the Functions host: ./run.sh, or func start in the build output.
              CallFunctions rules validate                   check every row of the rules table; exit 1 if a row is bad
              CallFunctions rules export [file] [--format json|csv]
                                                             write the rules table to a file (or standard output)
              CallFunctions rules import <file> [--prune]    write a file's rows into the table, all or nothing if a row is bad;
                                                             --prune deletes the rows the file does not hold
              CallFunctions rules seed <file>                import a file only when the rules table is empty
              CallFunctions rules explain <notification.json> [--at <time>]
                                                             what the rules decide for a notification, and why; no Graph call
              CallFunctions outcomes list                    print the call records, newest first
              CallFunctions outcomes summary [--from <time>] [--to <time>]
                                                             count terminations by code and by rule
            Times are ISO 8601 with Z or an offset (2026-03-29T10:00:00+02:00), or a date (2026-03-29, midnight UTC).
            Settings come from the environment, as for the webhook (AzureWebJobsStorage, Rules__Table, Outcomes__Table),
            or as --Section:Key=value.
            """);
        return problem is null ? 0 : 64;
    }
}
