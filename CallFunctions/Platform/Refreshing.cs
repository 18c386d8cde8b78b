namespace CallFunctions.Platform;

/// <summary>
/// A value read from somewhere slow (the rules table, Microsoft's signing keys), kept in memory and read again when its
/// owner says so. Reads are single-flight: callers that waited while another read take its answer. A read that fails
/// keeps the last good value, and no read is tried again for <c>retryAfterFailure</c>, so an outage costs a request
/// every few seconds, not one per notification.
/// </summary>
public sealed class Refreshing<T>(TimeProvider clock, TimeSpan retryAfterFailure) : IDisposable
    where T : class
{
    /// <summary>A value, when it was read, and until when it serves without a read (its owner's rule).</summary>
    public sealed record Snapshot(T Value, DateTimeOffset ReadAt, DateTimeOffset FreshUntil);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;
    private DateTimeOffset _failedAt = DateTimeOffset.MinValue;

    /// <summary>The value in use, without a read; null before the first good read.</summary>
    public Snapshot? Current => Volatile.Read(ref _current);

    /// <summary>Whether a failed read is recent enough that none is tried now.</summary>
    public bool FailedRecently => clock.GetUtcNow() - _failedAt < retryAfterFailure;

    /// <summary>
    /// Reads the value anew, unless another caller did while this one waited (it saw <paramref name="seen"/>), or a
    /// read failed less than <c>retryAfterFailure</c> ago. <paramref name="read"/> gives the value and how long it is
    /// fresh, or null when it failed (it logs why). Returns the snapshot in use afterwards; null when none was ever read.
    /// </summary>
    public async Task<Snapshot?> RefreshAsync(
        Snapshot? seen, Func<CancellationToken, Task<(T Value, TimeSpan FreshFor)?>> read, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = Volatile.Read(ref _current);
            if (!ReferenceEquals(current, seen) && current is not null) return current;
            if (FailedRecently) return current;
            var now = clock.GetUtcNow();
            if (await read(ct) is not { } fresh)
            {
                _failedAt = clock.GetUtcNow();
                return current;
            }
            var snapshot = new Snapshot(fresh.Value, now, now + fresh.FreshFor);
            Volatile.Write(ref _current, snapshot);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
