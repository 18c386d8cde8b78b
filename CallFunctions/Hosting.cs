using Microsoft.Extensions.Options;

namespace CallFunctions;

internal static class Hosting
{
    /// <summary>
    /// The Functions host picks the port and passes it in FUNCTIONS_CUSTOMHANDLER_PORT; run alone, the handler takes
    /// 7071 like <c>func start</c>. Only loopback: the host forwards to it.
    /// </summary>
    public static void ListenOnHandlerPort(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) return;
        var text = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"];
        if (string.IsNullOrWhiteSpace(text)) text = "7071";
        var valid = int.TryParse(text, out var port) && port is >= 1 and <= 65535;
        // Reported with the other settings at start-up, as a message rather than a stack trace.
        builder.Services.AddOptions<HandlerPort>()
            .Validate(_ => valid, $"FUNCTIONS_CUSTOMHANDLER_PORT must be a port number from 1 to 65535, not \"{text}\".")
            .ValidateOnStart();
        if (valid) builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    }

    private sealed class HandlerPort;

    private static string Section(string message)
    {
        const string marker = " at '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + marker.Length);
        return end > start
            ? message[(start + marker.Length)..end].Replace(":", "__", StringComparison.Ordinal)
            : "documented in the README";
    }

    /// <summary>A wrong setting stops the app with a message naming it, not a stack trace.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"Configuration error: {failure}");
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
