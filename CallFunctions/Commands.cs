using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;
using CallFunctions.Telemetry;

namespace CallFunctions;

/// <summary>
/// The handler's executable doubles as the operator's tool: <c>CallFunctions rules …</c> and <c>CallFunctions outcomes …</c>
/// run against the same settings and tables as the webhook, then exit.
/// </summary>
internal static class Commands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "rules" or "outcomes" or "help" or "--help";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal))],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTelemetry(builder.Configuration);
        builder.Services.AddStorage();
        builder.Services.AddRules();
        builder.Services.AddOutcomes();
        using var host = builder.Build();
        var verbs = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var output = Console.Out;
        try
        {
            return verbs switch
            {
                ["rules", "seed", var file] => await RulesCommands.SeedAsync(host.Services, file, output),
                ["outcomes", "list"] => await OutcomesCommands.ListAsync(host.Services, output),
                _ => Usage(),
            };
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            return 2;
        }
        catch (Azure.RequestFailedException e)
        {
            await Console.Error.WriteLineAsync($"Table Storage answered {e.Status} {e.ErrorCode}: is AzureWebJobsStorage right and the account reachable?");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            Usage:
              CallFunctions                          run the webhook (the Functions host starts it this way)
              CallFunctions rules seed <file.json>   add the rules of a file when the rules table is empty
              CallFunctions outcomes list            print the call records, newest first
            Settings come from the environment, as for the webhook (AzureWebJobsStorage, Rules__Table, Outcomes__Table).
            """);
        return 64;
    }
}
