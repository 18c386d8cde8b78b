using Microsoft.Extensions.Options;

namespace CallFunctions;

internal static class Hosting
{
    /// <summary>
    /// A wrong setting stops the worker with a message naming it, not a stack trace; the Functions host logs the
    /// worker's standard error and starts it again.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this IHost host)
    {
        try
        {
            // Settings first: before the worker connects to the host, so a run without the host says the same.
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (ConfigurationError(e) is { } failures)
        {
            foreach (var failure in failures) await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
    }

    /// <summary>
    /// What a wrong setting's exception says, one line per setting, or null for any other exception: the worker and
    /// the tools report it the same way.
    /// </summary>
    public static IReadOnlyList<string>? ConfigurationError(Exception e) => e switch
    {
        OptionsValidationException v => [.. v.Failures],
        // Several sections failed their validation at start-up: each is reported.
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. a.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
        // The binder's message names the setting (e.g. 'Rules:DefaultAction') and the type it expected.
        InvalidOperationException i when i.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [$"{i.Message} Set it as {Section(i.Message)}."],
        _ => null,
    };

    private static string Section(string message)
    {
        const string marker = " at '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + marker.Length);
        return end > start
            ? message[(start + marker.Length)..end].Replace(":", "__", StringComparison.Ordinal)
            : "documented in docs/configuration.md";
    }
}
