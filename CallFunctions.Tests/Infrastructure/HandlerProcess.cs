using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>The built handler run as its own process, the way the Functions host starts it.</summary>
public static class HandlerProcess
{
    public sealed record Exit(int Code, string Output, string Error);

    /// <summary>A handler process left running: <see cref="TerminateAsync"/> sends SIGTERM as the Functions host does.</summary>
    public sealed class Running(Process process, int port, StringWriterTask output) : IAsyncDisposable
    {
        public int Port => port;

        public Uri BaseAddress => new($"http://127.0.0.1:{port}");

        public async Task<Exit> TerminateAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
            return new Exit(process.ExitCode, await output.Output, await output.Error);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    public sealed record StringWriterTask(Task<string> Output, Task<string> Error);

    /// <param name="executable">A packaged handler to run from its app root, as the Functions host does; null runs the built one.</param>
    public static async Task<Running> StartAsync(IDictionary<string, string?> environment, string? executable = null, string? appRoot = null)
    {
        var port = Ports.Free();
        var all = new Dictionary<string, string?>(environment)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var process = Process.Start(StartInfo(all, executable, appRoot))!;
        var output = new StringWriterTask(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await Ports.WaitUntilOpenAsync(port, TimeSpan.FromSeconds(30));
        return new Running(process, port, output);
    }

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

    private static ProcessStartInfo StartInfo(IDictionary<string, string?> environment, string? executable = null, string? appRoot = null)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = appRoot ?? Repo.Root,
        };
        if (executable is null) start.ArgumentList.Add(Path.Combine(FunctionsHost.BuiltApp, "CallFunctions.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                                                             || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }
}
