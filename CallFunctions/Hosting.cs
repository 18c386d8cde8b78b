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
        if (!int.TryParse(text, out var port) || port is < 1 or > 65535)
            throw new OptionsValidationException("FUNCTIONS_CUSTOMHANDLER_PORT", typeof(int),
                [$"FUNCTIONS_CUSTOMHANDLER_PORT must be a port number from 1 to 65535, not \"{text}\"."]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
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
    }
}
