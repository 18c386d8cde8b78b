using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using CallFunctions.Platform;
using CallFunctions.Rules;
using Microsoft.Extensions.Options;

namespace CallFunctions.RuleTable;

/// <summary>
/// The rules table held in memory and re-read at most every Rules__RefreshSeconds, so an edit takes effect without a
/// restart. A refresh that fails keeps the last good rules.
/// </summary>
public sealed class RuleCache : IDisposable
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
        _rules = new Refreshing<RuleSet>(clock, RetryAfterFailure);
        meters.Create(CallMetrics.Name).CreateObservableGauge("callfunctions.rules.cache_age",
            () => LoadedAt is { } loaded ? (_clock.GetUtcNow() - loaded).TotalSeconds : double.NaN, "s",
            "Seconds since the rules in use were read from the table");
    }

    /// <summary>After a failed read the last good rules serve this long before the table is asked again.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    private readonly Refreshing<RuleSet> _rules;
    private HashSet<string> _reportedErrors = [];

    public ValueTask<RuleSet> GetAsync(CancellationToken ct)
    {
        var current = _rules.Current;
        return current is not null && _clock.GetUtcNow() < current.FreshUntil
            ? ValueTask.FromResult(current.Value)
            : new ValueTask<RuleSet>(RefreshAsync(current, ct));
    }

    /// <summary>The rules in use now, without reading the table.</summary>
    public RuleSet Current => _rules.Current?.Value ?? RuleSet.Empty;

    /// <summary>When the rules in use were read from the table (null before the first read).</summary>
    public DateTimeOffset? LoadedAt => _rules.Current?.ReadAt;

    private async Task<RuleSet> RefreshAsync(Refreshing<RuleSet>.Snapshot? seen, CancellationToken ct) =>
        (await _rules.RefreshAsync(seen, async token =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(LoadTimeout);
                return (await LoadAsync(timeout.Token), TimeSpan.FromSeconds(_options.Value.RefreshSeconds));
            }
            catch (Exception e) when (StorageFailure.IsFailure(e, token))
            {
                Log.RefreshFailed(_logger, e, _options.Value.Table, Current.Rules.Count);
                return null;
            }
        }, ct))?.Value ?? RuleSet.Empty;

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

    public void Dispose() => _rules.Dispose();
}
