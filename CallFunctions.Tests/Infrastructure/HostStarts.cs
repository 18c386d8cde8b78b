using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// Counts the Functions hosts each test class starts, and writes them to <c>hosts.txt</c> beside the test results when
/// the run ends: a host costs seconds of CPU to start, the largest part of the suite's time on a small machine.
/// </summary>
internal static class HostStarts
{
    private static readonly ConcurrentDictionary<string, int> ByClass = new();
    private static readonly AsyncLocal<string?> Caller = new();

    static HostStarts() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();

    /// <summary>Remembers, for the hosts started from here on in this async flow, the test class that asks for them.</summary>
    public static void From(StackTrace stack) => Caller.Value ??= TestClass(stack);

    public static void Count() => ByClass.AddOrUpdate(Caller.Value ?? TestClass(new StackTrace()) ?? "(unknown)", 1, (_, n) => n + 1);

    private static string? TestClass(StackTrace stack) => stack.GetFrames()
        .Select(f => f.GetMethod()?.DeclaringType)
        .Select(t => t?.DeclaringType is { } outer && t.Name.StartsWith('<') ? outer : t)
        .FirstOrDefault(t => t?.Namespace?.StartsWith("CallFunctions.Tests", StringComparison.Ordinal) == true
                             && t.Namespace != typeof(HostStarts).Namespace)?.Name;

    private static void Write()
    {
        var folder = Environment.GetEnvironmentVariable("CALLFUNCTIONS_TEST_RESULTS");
        if (folder is null || ByClass.IsEmpty) return;
        var lines = ByClass.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value,4} {p.Key}");
        File.WriteAllLines(Path.Combine(folder, "hosts.txt"), [$"{ByClass.Values.Sum(),4} hosts started", .. lines]);
    }
}
