using System.Globalization;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Records;
using CallFunctions.RuleTable.Files;

namespace CallFunctions.Operators.WhatIf;

internal static class WhatIfCommand
{
    /// <summary><c>rules whatif file [--from time] [--to time]</c>: the calls whose decision the file's rules would change.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string file, string? fromText, string? toText, TextWriter output, TextWriter error)
    {
        var whatIf = services.GetRequiredService<WhatIfApi>();
        if (!services.GetRequiredService<OutcomeQueries>().TryParsePeriod(fromText, toText, out var from, out var to, out var periodErrors))
        {
            foreach (var problem in periodErrors) await error.WriteLineAsync($"--{problem}");
            return 64;
        }
        if (!WhatIfApi.TryReadRules(await File.ReadAllTextAsync(file), RulesFile.FormatOf(file), out var rules, out var errors))
        {
            foreach (var problem in errors) await error.WriteLineAsync($"{file}: {problem}");
            return 1;
        }
        var report = await whatIf.RunAsync(rules, from, to, CancellationToken.None);
        await WriteAsync(file, report, output);
        return 0;
    }

    public static async Task WriteAsync(string file, WhatIfReport report, TextWriter output)
    {
        await output.WriteLineAsync(
            $"What-if {file} on the calls from {Time(report.From)} to {Time(report.To)}: {report.Calls} call(s), " +
            $"{report.Replayed} replayed, {report.Changed.Count} would change, {report.WithoutContext.Count} without context.");
        if (report.Changed.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"call",-38} {"caller",-26} {"rang",-20}  {"was",-34}  would be");
            foreach (var c in report.Changed)
                await output.WriteLineAsync(
                    $"{c.CallId,-38} {Cut(c.Caller, 26),-26} {Time(c.ReceivedAt),-20}  {Cut($"{c.OldAction} by {c.OldRule}", 34),-34}  {c.NewAction} by {c.NewRule}");
        }
        if (report.WithoutContext.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Not replayed:");
            foreach (var c in report.WithoutContext)
                await output.WriteLineAsync($"{c.CallId,-38} {(c.At is { } at ? Time(at) : ""),-20}  {c.Why}");
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Cut(string? text, int width) => text is null ? "" : text.Length <= width ? text : text[..(width - 1)] + "…";
}
