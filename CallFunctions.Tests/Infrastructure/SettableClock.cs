using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>A clock set to a chosen time that then runs at normal speed, so timeouts and retries still behave.</summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _start = start;
    private long _setAt = Stopwatch.GetTimestamp();

    public void Set(DateTimeOffset now)
    {
        _start = now;
        _setAt = Stopwatch.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => _start + Stopwatch.GetElapsedTime(_setAt);
}
