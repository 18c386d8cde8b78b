using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>One method's share of the samples in which a thread ran managed code.</summary>
public sealed record ProfileCost(string Method, double Inclusive, double Exclusive);

/// <summary>The top costs of one process (the worker or the host) over the profiled rounds.</summary>
public sealed record ProcessProfile(string Process, int Samples, List<ProfileCost> Top, List<ProfileCost> Areas);

/// <summary>
/// A sampling profile of the app's worker and host while they serve notifications: EventPipe's sample profiler (every
/// thread's stack about every 10 ms, the same source dotnet-trace's <c>dotnet-sampled-thread-time</c> uses), through
/// the diagnostics port each .NET process opens. Only samples of a thread running managed code count (a waiting
/// thread is sampled too, as "external"), so a share is of the process's managed CPU time.
/// </summary>
public sealed class Profile : IAsyncDisposable
{
    private readonly List<(string Name, EventPipeSession Session, Task Copy, string File)> _sessions = [];

    /// <summary>Areas of the code, by the namespace a frame's method is in: the first that matches names the frame.</summary>
    public static readonly (string Area, string[] Prefixes)[] AreaPrefixes =
    [
        ("our code: CallFunctions", ["CallFunctions."]),
        ("Table Storage SDK (Azure.Data.Tables, Azure.Core)", ["Azure.Data.Tables", "Azure.Core", "Azure."]),
        ("Graph SDK (Microsoft.Graph, Kiota)", ["Microsoft.Graph", "Microsoft.Kiota"]),
        ("token check (Microsoft.IdentityModel)", ["Microsoft.IdentityModel"]),
        ("logging (Microsoft.Extensions.Logging)", ["Microsoft.Extensions.Logging", "Microsoft.Azure.WebJobs.Script.Diagnostics", "Microsoft.Azure.WebJobs.Logging"]),
        ("gRPC to and from the host (Grpc, Google.Protobuf)", ["Grpc.", "Google.Protobuf"]),
        ("the Functions worker (Microsoft.Azure.Functions.Worker)", ["Microsoft.Azure.Functions.Worker"]),
        ("the Functions host (Microsoft.Azure.WebJobs)", ["Microsoft.Azure.WebJobs"]),
        ("ASP.NET Core and Kestrel", ["Microsoft.AspNetCore"]),
        ("HttpClient and sockets (System.Net)", ["System.Net"]),
        ("JSON (System.Text.Json)", ["System.Text.Json"]),
        ("OpenTelemetry and diagnostics (System.Diagnostics)", ["OpenTelemetry", "System.Diagnostics"]),
    ];

    public static Profile Start(string folder, params (string Name, int Pid)[] processes)
    {
        Directory.CreateDirectory(folder);
        var profile = new Profile();
        foreach (var (name, pid) in processes)
        {
            var session = new DiagnosticsClient(pid).StartEventPipeSession(
                [
                    new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
                    // Method names for the stacks' addresses (JIT and ReadyToRun code alike), at rundown.
                    new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.Default),
                ],
                requestRundown: true, circularBufferMB: 256);
            var file = Path.Combine(folder, name + ".nettrace");
            var output = File.Create(file);
            var copy = Task.Run(async () =>
            {
                await using (output) await session.EventStream.CopyToAsync(output);
            });
            profile._sessions.Add((name, session, copy, file));
        }
        return profile;
    }

    /// <summary>Stops the sessions and reads each trace: the <paramref name="top"/> methods by inclusive share.</summary>
    public async Task<List<ProcessProfile>> StopAsync(int top)
    {
        var profiles = new List<ProcessProfile>();
        foreach (var (name, session, copy, file) in _sessions)
        {
            await session.StopAsync(CancellationToken.None);
            await copy;
            session.Dispose();
            profiles.Add(Read(name, file, top));
        }
        _sessions.Clear();
        return profiles;
    }

    private static ProcessProfile Read(string name, string file, int top)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(file, null, new TraceLogOptions { ContinueOnError = true });
        using var log = new TraceLog(etlx);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var areas = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = 0;
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || e.EventName != "Thread/Sample") continue;
            // The sample's type: 1 external (waiting, or native code), 2 managed code running.
            if (e.EventDataLength < 4 || BitConverter.ToInt32(e.EventData(), 0) != 2) continue;
            if (e.CallStack() is not { } stack) continue;
            samples++;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var seenAreas = new HashSet<string>(StringComparer.Ordinal);
            var first = true;
            for (var frame = stack; frame is not null; frame = frame.Caller)
            {
                var method = frame.CodeAddress.Method?.FullMethodName ?? frame.CodeAddress.FullMethodName;
                if (string.IsNullOrEmpty(method)) method = "?!" + frame.CodeAddress.ModuleName;
                if (first)
                {
                    exclusive[method] = exclusive.GetValueOrDefault(method) + 1;
                    first = false;
                }
                if (seen.Add(method)) inclusive[method] = inclusive.GetValueOrDefault(method) + 1;
                if (Area(method) is { } area && seenAreas.Add(area)) areas[area] = areas.GetValueOrDefault(area) + 1;
            }
        }
        double Share(int n) => samples == 0 ? 0 : (double)n / samples;
        var costs = inclusive
            .Where(p => !IsPlumbing(p.Key))
            .OrderByDescending(p => p.Value)
            .Take(top)
            .Select(p => new ProfileCost(Short(p.Key), Share(p.Value), Share(exclusive.GetValueOrDefault(p.Key))))
            .ToList();
        var byArea = areas.OrderByDescending(p => p.Value).Select(p => new ProfileCost(p.Key, Share(p.Value), 0)).ToList();
        return new ProcessProfile(name, samples, costs, byArea);
    }

    private static string? Area(string method)
    {
        foreach (var (area, prefixes) in AreaPrefixes)
            if (prefixes.Any(p => method.StartsWith(p, StringComparison.Ordinal))) return area;
        return null;
    }

    /// <summary>Frames every sample passes through (thread starts, the async machinery): no cost of their own to look at.</summary>
    private static bool IsPlumbing(string method) =>
        method.StartsWith("System.Threading.", StringComparison.Ordinal)
        || method.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal)
        || method.StartsWith("?!", StringComparison.Ordinal)
        || method.Contains("ROOT", StringComparison.Ordinal);

    private static string Short(string method)
    {
        var paren = method.IndexOf('(', StringComparison.Ordinal);
        var name = paren < 0 ? method : method[..paren];
        return name.Length > 110 ? name[..110] + "…" : name;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, session, copy, _) in _sessions)
        {
            try
            {
                await session.StopAsync(CancellationToken.None);
                await copy;
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException)
            {
            }
            session.Dispose();
        }
    }
}
