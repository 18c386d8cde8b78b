using System.Diagnostics;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// dotnet-trace (a dotnet tool) collecting CPU samples of the app's worker and host while it lives; disposed, it
/// stops both and waits for their files (<c>worker.nettrace</c>, <c>host.nettrace</c>).
/// </summary>
public sealed class Traces : IDisposable
{
    private readonly List<Process> _collectors = [];

    public static Traces Start(string? folder, AppProcess app)
    {
        var traces = new Traces();
        if (string.IsNullOrEmpty(folder)) return traces;
        Directory.CreateDirectory(folder);
        foreach (var (name, pid) in new[] { ("worker", app.Worker() ?? 0), ("host", app.Id) })
        {
            var start = new ProcessStartInfo("dotnet-trace", ["collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--profile", "dotnet-sampled-thread-time", "-o", Path.Combine(folder, name + ".nettrace")])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            traces._collectors.Add(process);
        }
        Thread.Sleep(2000);
        return traces;
    }

    public void Dispose()
    {
        foreach (var collector in _collectors)
        {
            collector.StandardInput.WriteLine();
            collector.StandardInput.Flush();
        }
        foreach (var collector in _collectors)
        {
            if (!collector.WaitForExit(120_000)) collector.Kill();
            collector.Dispose();
        }
    }
}
