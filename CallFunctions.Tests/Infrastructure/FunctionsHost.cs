using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The real Azure Functions host running the built app on a free loopback port, as <c>func start</c> runs it: Core
/// Tools' <c>func</c> when it is on PATH, otherwise the host folder named by FUNCTIONS_HOST_PATH (by default
/// <c>../shared/functions-host</c> beside the repository). Its keys are known (<see cref="MasterKey"/>,
/// <see cref="FunctionKey"/>), its settings are environment variables, and every line it prints is kept in
/// <see cref="Logs"/>, the worker's own lines with their event ids.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    public const string MasterKey = "test-master-key-0000000000000000000000000000";
    public const string FunctionKey = "test-function-key-000000000000000000000000000";

    private readonly Process _process;
    private readonly string _secrets;
    private readonly Task _reading;

    private FunctionsHost(Process process, int port, string secrets, LogCapture logs)
    {
        _process = process;
        _secrets = secrets;
        Port = port;
        Logs = logs;
        _reading = Task.WhenAll(
            logs.ReadAsync(process.StandardOutput),
            logs.ReadAsync(process.StandardError));
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public LogCapture Logs { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The host's process (its worker is a child of it), to read CPU time and memory from /proc.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The build output the tests run: the folder `dotnet build` gives, with functions.metadata and host.json.</summary>
    public static string BuiltApp { get; } = FindBuiltApp();

    /// <summary>
    /// Starts the host on <paramref name="appFolder"/> (default: the built app) with <paramref name="settings"/> as
    /// environment variables (<c>Section__Key</c>); <paramref name="now"/> starts the app's clock at that instant.
    /// Returns once the host listens; <see cref="WaitUntilReadyAsync"/> waits for the worker.
    /// </summary>
    /// <param name="waitUntilListening">False for a host that may never listen (its worker cannot start).</param>
    /// <param name="asInAzure">
    /// As an app runs in Azure, for the benchmarks: the Production environment (no debug mode, no developer pages) and
    /// no JSON copy of the worker's logs on its standard output, which the host would read and log a second time.
    /// </param>
    public static async Task<FunctionsHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string? appFolder = null, DateTimeOffset? now = null,
        bool waitUntilListening = true, bool asInAzure = false)
    {
        appFolder ??= BuiltApp;
        HostStarts.Count();
        var port = Ports.Free();
        var secrets = Directory.CreateTempSubdirectory("functions-secrets-").FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "host.json"), JsonSerializer.Serialize(new
        {
            masterKey = new { name = "master", value = MasterKey, encrypted = false },
            functionKeys = new[] { new { name = "default", value = FunctionKey, encrypted = false } },
            systemKeys = Array.Empty<object>(),
        }));

        var start = StartInfo(appFolder, port);
        // What this machine or the test runner set must not reach the host: CONTAINER_NAME makes it act as in Azure,
        // ASPNETCORE_URLS would be the worker's address too, and the test host's own fake clock is not the app's.
        foreach (var key in start.Environment.Keys.Where(k => k is "CONTAINER_NAME" or "ASPNETCORE_URLS" or "LD_PRELOAD" or "TZ"
                     || k.StartsWith("FAKETIME", StringComparison.Ordinal)
                     || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_SECRETS_PATH"] = secrets;
        start.Environment["AzureWebJobsSecretStorageType"] = "files";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = asInAzure ? "Production" : "Development";
        if (!asInAzure)
        {
            // One JSON object a line, from the host and, relayed by it, from the worker (with event ids and scopes).
            start.Environment["Logging__Console__FormatterName"] = "json";
            start.Environment["Logging__Console__FormatterOptions__IncludeScopes"] = "true";
        }
        start.Environment["AzureFunctionsJobHost__Logging__Console__IsEnabled"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Many hosts run at once here, and a user gets only 128 inotify instances: no file watching, which a host on an
        // unchanging build output does not need (configuration files are polled instead).
        start.Environment["AzureFunctionsJobHost__fileWatchingEnabled"] = "false";
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        // Hosts on one machine share a host id (from the machine name), and with it the timer's lock in the blobs: one
        // host would hold the retention timer and the others never schedule it. Each host of a test is its own app.
        start.Environment["AzureFunctionsWebHost__hostid"] = "test-" + Guid.NewGuid().ToString("N")[..16];
        // The app's clock starts at that instant (a Development-only setting): libfaketime stalls the host itself.
        if (now is { } instant) start.Environment["Diagnostics__ClockStart"] = instant.ToString("O", CultureInfo.InvariantCulture);
        // The reconciler's timer stays off: each host has its own lock, so every host of the suite would run it every 5
        // minutes, on whatever calls a test left open. Its tests run it through the admin API, which a disabled function
        // still answers (with the master key).
        start.Environment["AzureWebJobs.OutcomesReconcile.Disabled"] = "true";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("The Functions host did not start.");
        var host = new FunctionsHost(process, port, secrets, new LogCapture());
        // Pooled hosts live as long as this process: they go with it (test.sh also stops any that outlive it).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => host.Kill();
        if (!waitUntilListening) return host;
        try
        {
            await host.WaitUntilListeningAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    private static ProcessStartInfo StartInfo(string appFolder, int port)
    {
        if (FindOnPath("func") is { } func)
        {
            // Core Tools skip key checks unless asked; --enableAuth makes them act as Azure and the shared host do.
            var start = new ProcessStartInfo(func) { WorkingDirectory = appFolder };
            foreach (var arg in new[] { "start", "--port", port.ToString(CultureInfo.InvariantCulture), "--enableAuth" }) start.ArgumentList.Add(arg);
            return Redirected(start);
        }
        var folder = HostFolder()
            ?? throw new InvalidOperationException(
                "No Azure Functions host found: install Azure Functions Core Tools (func) or set FUNCTIONS_HOST_PATH to a " +
                "host folder holding start-host.sh (such as ../shared/functions-host); the tests run the app inside it.");
        var script = new ProcessStartInfo(Path.Combine(folder, "start-host.sh")) { WorkingDirectory = appFolder };
        script.ArgumentList.Add(appFolder);
        script.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        // The app's local.settings.json is for a person's local run; a test gives every setting itself.
        script.Environment["LOCAL_SETTINGS"] = "/dev/null/none";
        return Redirected(script);
    }

    private static ProcessStartInfo Redirected(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    /// <summary>FUNCTIONS_HOST_PATH, or ../shared/functions-host beside the repository when it exists.</summary>
    public static string? HostFolder()
    {
        var named = Environment.GetEnvironmentVariable("FUNCTIONS_HOST_PATH");
        if (!string.IsNullOrWhiteSpace(named))
            return File.Exists(Path.Combine(named, "start-host.sh"))
                ? Path.GetFullPath(named)
                : throw new InvalidOperationException($"FUNCTIONS_HOST_PATH={named} holds no start-host.sh.");
        var beside = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "functions-host"));
        return File.Exists(Path.Combine(beside, "start-host.sh")) ? beside : null;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string FindBuiltApp()
    {
        // The tests and the app are built together in one configuration (Release from ./test.sh).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var folder = Repo.Path("CallFunctions", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(folder, "functions.metadata")))
            throw new InvalidOperationException($"The app is not built in {folder}: run `dotnet build CallFunctions.sln -c {configuration}`.");
        return folder;
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
                throw await ExitedAsync();
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port, cts.Token);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50, cts.Token);
            }
        }
    }

    private async Task<InvalidOperationException> ExitedAsync()
    {
        // The last of its output (why it exited) is still on its way through the pipes.
        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5)));
        return new InvalidOperationException($"The Functions host exited with {_process.ExitCode}:\n{Logs.Text}");
    }

    /// <summary>The host exited because another process held its port when it came to bind it (the error quotes its log).</summary>
    public static bool LostItsPort(InvalidOperationException error) =>
        error.Message.Contains("Failed to bind to address", StringComparison.Ordinal)
        && error.Message.Contains("address already in use", StringComparison.Ordinal);

    /// <summary>Waits until the worker answers <c>GET /api/health</c>, so its rules are read and its functions indexed.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            if (_process.HasExited)
                throw await ExitedAsync();
            try
            {
                using var answer = await client.GetAsync("/api/health", cts.Token);
                if (answer.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cts.IsCancellationRequested)
            {
            }
            if (cts.IsCancellationRequested)
                throw new TimeoutException($"The app in the Functions host did not answer /api/health:\n{Logs.Text}");
            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>Waits for the host to exit by itself; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await _reading;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM, as Azure does when it stops an instance, and waits for the host to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _reading;
        return _process.ExitCode;
    }

    /// <summary>At the end of the test run: no time for a graceful stop.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await TerminateAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_secrets, recursive: true); } catch (IOException) { }
    }
}
