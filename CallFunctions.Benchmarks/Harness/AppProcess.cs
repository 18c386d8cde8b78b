using System.Globalization;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// A published app (CallFunctions or the empty app) inside the real Functions host, started as the tests start it
/// (<see cref="FunctionsHost"/>: settings as environment variables, CONTAINER_NAME unset, known keys) but as in Azure
/// (the Production environment, no JSON copy of the worker's logs on its standard output): the host's
/// process and its worker, a child of it, read from /proc.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly FunctionsHost _host;

    private AppProcess(FunctionsHost host, string name)
    {
        _host = host;
        Name = name;
    }

    /// <summary>The publish folder's app: "app" or "empty".</summary>
    public string Name { get; }

    public FunctionsHost Host => _host;

    public int Id => _host.ProcessId;

    public Uri Url(string path) => new(_host.BaseAddress, path);

    /// <summary>The app as <c>./benchmark.sh</c> publishes it, the way <c>./package.sh</c> does.</summary>
    public static string PublishFolder(string name) => Repo.Path("artifacts", "bench", "publish", name);

    /// <summary>Starts the host on the published app; returns once the host listens (not yet the worker).</summary>
    public static async Task<AppProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var folder = PublishFolder(name);
        if (!File.Exists(Path.Combine(folder, "functions.metadata")))
            throw new InvalidOperationException($"{folder} is not published: run ./benchmark.sh, which publishes it first.");
        return new AppProcess(await FunctionsHost.StartAsync(settings, folder, asInAzure: true), name);
    }

    /// <summary>The host and every process under it (the worker), alive now.</summary>
    public int[] Tree() => [Id, .. Processes.Descendants(Id)];

    /// <summary>The worker: the host's child running the app's own assembly.</summary>
    public int? Worker() => Processes.Find(Id, Name == "app" ? "CallFunctions" : "EmptyApp");

    /// <summary>User and system CPU seconds of the host and its worker together.</summary>
    public double CpuSeconds() => Tree().Sum(Cpu.Seconds);

    /// <summary>Peak resident set (VmHWM) so far of a process, in bytes.</summary>
    public static long PeakWorkingSet(int pid) => StatusBytes(pid, "VmHWM");

    /// <summary>A size field of <c>/proc/&lt;pid&gt;/status</c> (VmHWM, RssAnon…), in bytes.</summary>
    public static long StatusBytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts a process's peak resident set (VmHWM) again from its resident set now (Linux's clear_refs 5).</summary>
    public static void ResetPeakWorkingSet(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>No graceful stop: the next measurement should not wait for it.</summary>
    public async ValueTask DisposeAsync()
    {
        _host.Kill();
        await _host.DisposeAsync();
    }
}
