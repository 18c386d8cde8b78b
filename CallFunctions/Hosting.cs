using Microsoft.Extensions.Options;

namespace CallFunctions;

internal static class Hosting
{
    private static string Section(string message)
    {
        const string marker = " at '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + marker.Length);
        return end > start
            ? message[(start + marker.Length)..end].Replace(":", "__", StringComparison.Ordinal)
            : "documented in the README";
    }

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
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            // Several sections failed their validation at start-up: each is reported.
            foreach (var failure in e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures))
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder's message names the setting (e.g. 'Rules:DefaultAction') and the type it expected.
            await Console.Error.WriteLineAsync($"Configuration error: {e.Message} Set it as {Section(e.Message)}.");
            return 2;
        }
    }
}
