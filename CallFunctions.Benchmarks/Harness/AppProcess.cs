using System.Diagnostics;
using System.Globalization;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>A published app (the handler or the empty app) run as its own process on a free loopback port.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int Id => _process.Id;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>The last lines the app wrote, to explain a failure.</summary>
    public string LastLines
    {
        get { lock (_lastLines) return string.Join(Environment.NewLine, _lastLines); }
    }

    public static AppProcess Start(string executable, IReadOnlyDictionary<string, string?> environment)
    {
        var port = Ports.Free();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        // The runtime knobs under test come only from the variant, not from the shell that ran the harness.
        foreach (var key in start.Environment.Keys.Where(k => (k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT")
                                                             || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start."), port);
    }

    public Task WaitUntilOpenAsync() => Ports.WaitUntilOpenAsync(Port, TimeSpan.FromSeconds(30));

    /// <summary>Peak resident set (VmHWM) so far, in bytes.</summary>
    public long PeakWorkingSet()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20) _lastLines.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
