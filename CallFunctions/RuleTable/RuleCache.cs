using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;

using CallFunctions.Rules;

namespace CallFunctions.RuleTable;

/// <summary>
/// The rules table held in memory and re-read at most every Rules__RefreshSeconds, so an edit takes effect without a
/// restart. A refresh that fails keeps the last good rules.
/// </summary>
public sealed class RuleCache
{
    private readonly TableClient _table;
    private readonly IOptions<RulesOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RuleCache> _logger;

    public RuleCache(
        [FromKeyedServices(StorageSetup.RulesTable)] TableClient table,
        IOptions<RulesOptions> options,
        IMeterFactory meters,
        TimeProvider clock,
        ILogger<RuleCache> logger)
    {
        _table = table;
        _options = options;
        _clock = clock;
        _logger = logger;
        meters.Create(CallMetrics.Name).CreateObservableGauge("callfunctions.rules.cache_age",
            () => LoadedAt is { } loaded ? (_clock.GetUtcNow() - loaded).TotalSeconds : double.NaN, "s",
            "Seconds since the rules in use were read from the table");
    }

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _current;
    private HashSet<string> _reportedErrors = [];

    private sealed record Snapshot(RuleSet Rules, DateTimeOffset FreshUntil, DateTimeOffset LoadedAt);

    public ValueTask<RuleSet> GetAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && _clock.GetUtcNow() < current.FreshUntil
            ? ValueTask.FromResult(current.Rules)
            : new ValueTask<RuleSet>(RefreshAsync(current, ct));
    }

    /// <summary>The rules in use now, without reading the table.</summary>
    public RuleSet Current => Volatile.Read(ref _current)?.Rules ?? RuleSet.Empty;

    /// <summary>When the rules in use were read from the table (null before the first read).</summary>
    public DateTimeOffset? LoadedAt => Volatile.Read(ref _current)?.LoadedAt;

    private async Task<RuleSet> RefreshAsync(Snapshot? seen, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && !ReferenceEquals(current, seen) && _clock.GetUtcNow() < current.FreshUntil)
                return current.Rules;

            var now = _clock.GetUtcNow();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(LoadTimeout);
                var rules = await LoadAsync(timeout.Token);
                Volatile.Write(ref _current, new Snapshot(rules, now + TimeSpan.FromSeconds(_options.Value.RefreshSeconds), now));
                return rules;
            }
            catch (Exception e) when (StorageFailure.IsFailure(e, ct))
            {
                var kept = current?.Rules ?? RuleSet.Empty;
                Log.RefreshFailed(_logger, e, _options.Value.Table, kept.Rules.Count);
                Volatile.Write(ref _current, new Snapshot(kept, now + RetryAfterFailure, current?.LoadedAt ?? now));
                return kept;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<RuleSet> LoadAsync(CancellationToken ct)
    {
        var rules = RuleTableReader.Parse(await RuleTableReader.ReadAsync(_table, ct));
        ReportNewErrors(rules.Errors);
        Log.RulesLoaded(_logger, rules.Rules.Count, _options.Value.Table, rules.Errors.Count);
        return rules;
    }

    /// <summary>A bad row is reported once, not at every refresh.</summary>
    private void ReportNewErrors(IReadOnlyList<RowError> errors)
    {
        var seen = new HashSet<string>();
        foreach (var error in errors)
        {
            var text = error.ToString();
            seen.Add(text);
            if (!_reportedErrors.Contains(text))
                Log.RowSkipped(_logger, error.PartitionKey, error.RowKey, error.Column, error.Value, error.Why);
        }
        _reportedErrors = seen;
    }
}
