using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>The built handler run as its own process, the way the Functions host starts it.</summary>
public static class HandlerProcess
{
    public sealed record Exit(int Code, string Output, string Error);

    /// <summary>
    /// Runs the handler with the given environment (and command-line arguments, for the tools) until it exits, or kills
    /// it after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Exit?> RunUntilExitAsync(IDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "CallFunctions.dll") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                                                             || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return null;
        }
        return new Exit(process.ExitCode, await output, await error);
    }
}
