using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// A real Azurite on free loopback ports, one per test run, installed in the repo by npm: its table service for the app,
/// and its blob and queue services for the Functions host (a timer trigger keeps its schedule and a lock in blobs).
/// Data lives in a temporary folder, so a stop and restart keeps it, as a real storage account would.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<Azurite>> Shared = new(() => StartAsync());

    private readonly string _location;
    private readonly bool _inMemory;
    private Process? _process;

    private Azurite(int port, int blobPort, int queuePort, string location, bool inMemory)
    {
        Port = port;
        BlobPort = blobPort;
        QueuePort = queuePort;
        _location = location;
        _inMemory = inMemory;
    }

    /// <summary>The table service's port.</summary>
    public int Port { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>The one Azurite of this test run, started on first use and stopped when the run ends.</summary>
    public static Task<Azurite> SharedAsync() => Shared.Value;

    /// <param name="inMemory">
    /// Nothing on disk (Azurite's <c>--inMemoryPersistence</c>), for the benchmarks: Azurite otherwise saves its whole
    /// database to a file every few seconds, a cost that grows with every row and that no storage account has. A restart
    /// then loses the data.
    /// </param>
    public static async Task<Azurite> StartAsync(bool inMemory = false)
    {
        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        int[] ports = [Ports.Free(), Ports.Free(), Ports.Free()];
        while (ports.Distinct().Count() < ports.Length) ports = [Ports.Free(), Ports.Free(), Ports.Free()];
        var azurite = new Azurite(ports[0], ports[1], ports[2], location, inMemory);
        await azurite.RestartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Stop();
        return azurite;
    }

    public async Task RestartAsync()
    {
        Stop();
        var executable = Repo.Path("node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Azurite is not installed: run `npm ci` in {Repo.Root} (./test.sh does).");
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Azurite refuses a location with --inMemoryPersistence.
        foreach (var arg in _inMemory ? ["--inMemoryPersistence"] : new[] { "--location", _location }) start.ArgumentList.Add(arg);
        // Azurite keeps the real clock when the test host runs under libfaketime (scripts/test-at-instants.sh): node is one
        // of the multi-threaded runtimes libfaketime cannot shift reliably (wolfcw/libfaketime#373), and in the first
        // clock runs the shifted Azurite died part way. Nothing depends on its clock: it checks no request dates, and the
        // app stamps its records with its own TimeProvider.
        start.Environment.Remove("LD_PRELOAD");
        start.Environment.Remove("FAKETIME");
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Node takes a few seconds to start Azurite, far longer on a loaded machine; the shared instance is started once
        // and a start that gives up fails every test of the run.
        await Ports.WaitUntilOpenAsync(Port, TimeSpan.FromSeconds(90));
        await Ports.WaitUntilOpenAsync(BlobPort, TimeSpan.FromSeconds(30));
        await Ports.WaitUntilOpenAsync(QueuePort, TimeSpan.FromSeconds(30));
    }

    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
