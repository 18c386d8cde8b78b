using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>The built app run as a plain process, without the Functions host: how the operator's tools run.</summary>
public static class AppProcess
{
    public sealed record Exit(int Code, string Output, string Error);

    /// <summary>
    /// Runs the handler with the given environment (and command-line arguments, for the tools) until it exits, or kills
    /// it after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Exit?> RunUntilExitAsync(IDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var start = StartInfo(environment);
        foreach (var arg in args) start.ArgumentList.Add(arg);
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

    private static ProcessStartInfo StartInfo(IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        start.ArgumentList.Add(Path.Combine(FunctionsHost.BuiltApp, "CallFunctions.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                                                             || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }
}
