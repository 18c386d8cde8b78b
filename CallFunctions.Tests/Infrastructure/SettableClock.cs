using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// A clock set to a chosen time that then runs at normal speed, so timeouts and retries still behave; or, when
/// <see cref="Frozen"/>, stays at that time, so what the app computes from "now" comes out exact. Either way it keeps
/// the due time of every timer the app starts on it (<c>Task.Delay</c>, <c>WaitAsync</c>): a test reads how long the
/// app chose to wait instead of timing it.
/// </summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private DateTimeOffset _start = start;
    private long _setAt = Stopwatch.GetTimestamp();

    /// <summary>Stays at the time set: timers still fire in real time, but "now" does not move.</summary>
    public bool Frozen { get; init; }

    /// <summary>The due time of each timer started on this clock, in the order they were started.</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public void Set(DateTimeOffset now)
    {
        _start = now;
        _setAt = Stopwatch.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => Frozen ? _start : _start + Stopwatch.GetElapsedTime(_setAt);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _waits.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
