using System.Collections.Concurrent;

namespace CallFunctions.Platform;

/// <summary>
/// What an instance remembers between requests, bounded, with one eviction rule: an entry lives for
/// <c>lifetime</c> from when it was last set, and when more than <c>capacity</c> are held the oldest set go first.
/// Forgetting costs nothing: whoever asks after an eviction reads what it needs from storage again.
/// </summary>
public sealed class BoundedMemory<TKey, TValue>(int capacity, TimeSpan lifetime, TimeProvider clock, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private sealed record Entry(TValue Value, DateTimeOffset SetAt, long Order);

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);

    /// <summary>The keys in the order they were set; a key set again stands there twice, and only its last counts.</summary>
    private readonly ConcurrentQueue<(TKey Key, long Order)> _order = new();

    private long _next;

    public int Capacity => capacity;

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && clock.GetUtcNow() - entry.SetAt < lifetime)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var order = Interlocked.Increment(ref _next);
        _entries[key] = new Entry(value, clock.GetUtcNow(), order);
        _order.Enqueue((key, order));
        // Keys set again leave stale places in the queue: it is trimmed when it outgrows the entries twice over.
        while ((_entries.Count > capacity || _order.Count > 2 * capacity) && _order.TryDequeue(out var oldest))
            if (_entries.TryGetValue(oldest.Key, out var entry) && entry.Order == oldest.Order)
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(oldest.Key, entry));
    }

    /// <summary>Changes an entry still remembered, keeping when it was set; nothing when it is not.</summary>
    public void Update(TKey key, Func<TValue, TValue> change)
    {
        if (_entries.TryGetValue(key, out var entry) && clock.GetUtcNow() - entry.SetAt < lifetime)
            _entries.TryUpdate(key, entry with { Value = change(entry.Value) }, entry);
    }

    public void Forget(TKey key) => _entries.TryRemove(key, out _);
}
