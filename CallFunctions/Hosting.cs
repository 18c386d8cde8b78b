using Microsoft.AspNetCore.Server.Kestrel.Core;
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

    /// <summary>
    /// A client that trickles its headers or body cannot hold a request open for long (the Functions host forwards
    /// whole bodies, so real notifications arrive at once), and the request line never reaches the logs: its query may
    /// hold the function key (<c>?code=</c>). Code filters win over same-named settings, so a log-level setting
    /// cannot bring that line back.
    /// </summary>
    public static void LimitRequests(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    }

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
