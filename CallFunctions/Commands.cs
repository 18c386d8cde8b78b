using CallFunctions.Operators.Challenges;
using CallFunctions.Operators.Explain;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Operators.RulesTool;
using CallFunctions.Operators.WhatIf;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.RuleTable.Files;

namespace CallFunctions;

/// <summary>
/// The handler's executable doubles as the operator's tool: <c>CallFunctions rules …</c> and <c>CallFunctions outcomes …</c>
/// run against the same settings and tables as the webhook, print what they did, and exit non-zero on failure.
/// </summary>
internal static class Commands
{
    /// <summary>Exit code of a wrong command line (BSD's EX_USAGE).</summary>
    public const int UsageError = 64;

    /// <summary>
    /// Each verb with its arguments, its options and what it does. The text is docs/operating.md's table of tools, word for
    /// word (a test compares them), so <c>--help</c> says what the docs say.
    /// </summary>
    internal static readonly Verb[] Verbs =
    [
        new("rules validate", "", 0, 0, [],
            "Lists every row of the rules table with its status; a bad row shows PartitionKey, RowKey, column, value and why. Exit 1 when a row has an error.",
            (s, l, o, e) => RulesCommands.ValidateAsync(s, o)),
        new("rules export", "[file] [--format json|csv]", 0, 1, ["format"],
            "Writes the table to a file (format from the extension) or, without a file, JSON to standard output. Rows sorted by key, so an unchanged table exports the same bytes.",
            (s, l, o, e) => RulesCommands.ExportAsync(s, l.Arguments.FirstOrDefault(), l.Option("format"), o, e)),
        new("rules import", "<file> [--prune]", 1, 1, ["prune"],
            "Validates every row of the file first and changes nothing if any is bad; otherwise adds and replaces rows (in entity-group transactions per partition). --prune deletes the rows the file does not hold, so the table becomes the file.",
            (s, l, o, e) => RulesCommands.ImportAsync(s, l.Arguments[0], l.Flag("prune"), o, e)),
        new("rules seed", "<file>", 1, 1, [],
            "Imports a file only when the table is empty (the local run seeds the examples this way).",
            (s, l, o, e) => RulesCommands.SeedAsync(s, l.Arguments[0], o, e)),
        new("rules explain", "<notification.json> [--at <time>]", 1, 1, ["at"],
            "What the rules decide for a notification envelope and why, without calling Graph: each rule, each condition, the decision.",
            (s, l, o, e) => ExplainCommand.RunAsync(s, l.Arguments[0], l.Option("at"), o, e)),
        new("outcomes list", "", 0, 0, [],
            "The call records, newest first.",
            (s, l, o, e) => OutcomesCommands.ListAsync(s, o)),
        new("outcomes summary", "[--from <time>] [--to <time>]", 0, 0, ["from", "to"],
            "Terminations counted by code/subcode/meaning and by rule and action.",
            (s, l, o, e) => OutcomesCommands.SummaryAsync(s, l.Option("from"), l.Option("to"), o, e)),
        new("rules whatif", "<file> [--from <time>] [--to <time>]", 1, 1, ["from", "to"],
            "Replays the recorded calls of a period (default: the last 24 hours) through the rules of a file (as rules export writes it), each at the time it rang, and lists those whose decision would change; calls whose record lacks the context (only their end was recorded) are listed as not replayed. Writes nothing. Exit 1 when a row of the file is bad.",
            (s, l, o, e) => WhatIfCommand.RunAsync(s, l.Arguments[0], l.Option("from"), l.Option("to"), o, e)),
        new("challenges forget", "<caller> [--rule <name>]", 1, 1, ["rule"],
            "Forgets that a caller passed a Challenge rule (every rule, or the one --rule names), so their next ring is challenged again. The caller is written as a rule's Target: +14255550123 or user:<id>.",
            (s, l, o, e) => ChallengesCommands.ForgetAsync(s, l.Arguments[0], l.Option("rule"), o, e)),
    ];

    /// <summary>
    /// A command starts with a verb (<c>rules</c>, <c>outcomes</c>, <c>help</c>, or a wrong one); the Functions host
    /// starts the worker with options only (<c>--host … --port …</c>).
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || args[0] is "--help" or "-h");

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <param name="args">The command line.</param>
    /// <param name="output">What the command did.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="settings">Settings on top of the environment's (tests point them at their own tables).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IDictionary<string, string?>? settings = null)
    {
        if (args is [] or ["help"] or ["--help"] or ["-h"]) return await UsageAsync(output, null, Verbs);
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args);
        }
        catch (FormatException e)
        {
            return await UsageAsync(error, e.Message, Matching(args.TakeWhile(a => !a.StartsWith('-'))));
        }
        var words = string.Join(' ', line.Verbs.Take(2));
        if (Verbs.FirstOrDefault(v => v.Name == words) is not { } verb)
            return await UsageAsync(line.Flag("help") ? output : error, line.Flag("help") ? null : $"unknown command: {string.Join(' ', line.Verbs)}", Matching(line.Verbs));
        if (line.Flag("help")) return await UsageAsync(output, null, [verb]);
        var arguments = line.Verbs.Count - 2;
        if (arguments < verb.MinArguments || arguments > verb.MaxArguments)
            return await UsageAsync(error, arguments < verb.MinArguments ? $"{verb.Name} needs {verb.Syntax}" : $"{verb.Name} takes {(verb.MaxArguments == 0 ? "no argument" : verb.Syntax)}", [verb]);
        if (line.Options.Keys.FirstOrDefault(o => !verb.Options.Contains(o, StringComparer.OrdinalIgnoreCase)) is { } stray)
            return await UsageAsync(error, $"{verb.Name} has no option --{stray}", [verb]);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. line.HostArgs],
            ContentRootPath = AppContext.BaseDirectory,
        });
        try
        {
            LocalSettings.AddTo(builder.Configuration, Path.Combine(AppContext.BaseDirectory, LocalSettings.FileName));
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"Configuration error: {e.Message}");
            return 2;
        }
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Logs go to standard error, so that `rules export > rules.json` writes only the rules.
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCallFunctions(builder.Configuration);
        using var host = builder.Build();
        try
        {
            return await verb.Run(host.Services, line, output, error);
        }
        catch (Exception e) when (Hosting.ConfigurationError(e) is { } failures)
        {
            foreach (var failure in failures) await error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
        catch (Exception e) when (Platform.StorageFailure.IsUnavailable(e, CancellationToken.None))
        {
            await error.WriteLineAsync(
                "Table Storage cannot be reached: is AzureWebJobsStorage right and the account reachable? " +
                "(Locally, ./run.sh starts Azurite: UseDevelopmentStorage=true is 127.0.0.1:10002.)");
            return 1;
        }
        catch (Azure.RequestFailedException e)
        {
            await error.WriteLineAsync($"Table Storage answered {e.Status} {e.ErrorCode}: is AzureWebJobsStorage right and the account reachable?");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>The verbs a wrong command line was after (<c>rules …</c>), or all of them.</summary>
    private static Verb[] Matching(IEnumerable<string> words)
    {
        var first = words.FirstOrDefault();
        var group = Verbs.Where(v => v.Name.StartsWith(first + " ", StringComparison.Ordinal)).ToArray();
        return group.Length > 0 ? group : Verbs;
    }

    private static async Task<int> UsageAsync(TextWriter writer, string? problem, IReadOnlyCollection<Verb> verbs)
    {
        if (problem is not null) await writer.WriteLineAsync($"Error: {problem}");
        await writer.WriteLineAsync("Usage: CallFunctions <command> (from a clone: dotnet run --project CallFunctions -- <command>)");
        if (verbs.Count > 1) await writer.WriteLineAsync("The webhook itself runs inside the Functions host: ./run.sh, or func start in the build output.");
        foreach (var verb in verbs)
        {
            await writer.WriteLineAsync();
            await writer.WriteLineAsync($"  CallFunctions {verb.Name}{(verb.Syntax.Length > 0 ? " " + verb.Syntax : "")}");
            foreach (var text in Wrap(verb.Summary, 100)) await writer.WriteLineAsync($"      {text}");
        }
        await writer.WriteLineAsync("""

            Times are ISO 8601 with Z or an offset (2026-03-29T10:00:00+02:00), or a date (2026-03-29, midnight UTC).
            Settings come from the environment, as for the webhook (AzureWebJobsStorage, Rules__Table, Outcomes__Table),
            or as --Section:Key=value; in a build of a clone, local.settings.json's Values fill in what the environment lacks.
            Exit codes: 0 done, 1 a bad row or a storage error, 2 a bad setting, 64 a wrong command line.
            """);
        return problem is null ? 0 : UsageError;
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }

    /// <summary>A tool: its words, the arguments after them, the options it knows, what it does.</summary>
    internal sealed record Verb(
        string Name, string Syntax, int MinArguments, int MaxArguments, string[] Options, string Summary,
        Func<IServiceProvider, CommandLine, TextWriter, TextWriter, Task<int>> Run);
}
