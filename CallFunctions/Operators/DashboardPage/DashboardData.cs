using System.Globalization;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Records;
using CallFunctions.RuleTable;

namespace CallFunctions.Operators.DashboardPage;

/// <summary>How the page shows an action, as its declaration says (<see cref="Actions"/>): the page builds its counters, series and filter from these.</summary>
public sealed record ActionView(string Action, string Series, string Label, string Color)
{
    public static IReadOnlyList<ActionView> All { get; } =
        [.. Actions.All.Select(a => new ActionView(a.Action.ToString(), a.Series, a.Label, a.Color))];
}

/// <summary>
/// Decisions counted by the series of their action (<see cref="ActionDeclaration.Series"/>). The answer keeps the
/// fields it has always had, in their order; an action declared later is written after them under its series' name.
/// </summary>
public abstract record DecidedCounts([property: JsonIgnore] IReadOnlyDictionary<string, int> Decided)
{
    private static readonly string[] Named = ["rejected", "hungUp", "allowed", "redirected"];

    [JsonPropertyOrder(1)] public int Rejected => Decided.GetValueOrDefault("rejected");

    [JsonPropertyOrder(2)] public int HungUp => Decided.GetValueOrDefault("hungUp");

    [JsonPropertyOrder(3)] public int Allowed => Decided.GetValueOrDefault("allowed");

    [JsonPropertyOrder(5)] public int Redirected => Decided.GetValueOrDefault("redirected");

    [JsonExtensionData]
    public Dictionary<string, object> Others => Decided.Where(d => !Named.Contains(d.Key)).ToDictionary(d => d.Key, d => (object)d.Value);

    public static IReadOnlyDictionary<string, int> Count(IEnumerable<CallRecord> decided)
    {
        var counts = Actions.All.ToDictionary(a => a.Series, _ => 0);
        foreach (var call in decided)
            if (call.Decided?.Action is { } action) counts[Actions.Of(action).Series]++;
        return counts;
    }
}

public sealed record Totals([property: JsonPropertyOrder(0)] int Calls, IReadOnlyDictionary<string, int> Decided, [property: JsonPropertyOrder(4)] int Ended)
    : DecidedCounts(Decided);

/// <summary>One bar of the chart: decisions made and calls ended in [Start, Start + size), endings by "code/subcode".</summary>
public sealed record TimeBucket(
    [property: JsonPropertyOrder(0)] DateTimeOffset Start, IReadOnlyDictionary<string, int> Decided,
    [property: JsonPropertyOrder(4)] IReadOnlyDictionary<string, int> Ended)
    : DecidedCounts(Decided);

public sealed record CallRow(
    string CallId, string? Caller, string? Callee, string? CallType, string? TenantId, DateTimeOffset? ReceivedAt,
    string? Rule, string? Action, string? Reason, int? GraphStatus, bool? DryRun,
    int? Code, int? Subcode, string? Message, string? Meaning, DateTimeOffset? TerminatedAt, string? Target = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ChallengeResult = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool NotReported = false);

public sealed record RuleRowView(string Scope, string Name, IReadOnlyDictionary<string, string> Columns, string Status, IReadOnlyList<string> Issues);

public sealed record RulesView(string Table, DateTimeOffset ReadAt, DateTimeOffset? InUseSince, IReadOnlyList<RuleRowView> Rows);

/// <summary>What the page shows for a period: the counts, the chart's bars, the rules that decided most, the calls, the rules.</summary>
/// <remarks>
/// <see cref="Actions"/> and <see cref="Columns"/> say what the page shows: its counters and series are the declared
/// actions', its rules table the rule columns (<see cref="RuleRow.Columns"/>), so a new action or column needs no
/// change to the page's assets.
/// </remarks>
public sealed record DashboardData(
    DateTimeOffset From, DateTimeOffset To, string BucketSize, Totals Totals, IReadOnlyList<TimeBucket> Buckets,
    IReadOnlyList<RuleCount> TopRules, IReadOnlyList<CodeCount> ByCode, IReadOnlyList<CallRow> Calls, bool CallsCut, RulesView Rules)
{
    public IReadOnlyList<ActionView> Actions => ActionView.All;

    public IReadOnlyList<string> Columns => RuleRow.Columns;

    /// <summary>The page lists at most this many calls, newest first; the counts and the chart count them all.</summary>
    public const int MaxCalls = 2000;

    /// <summary>Pure: the period's records and the rules table's rows in, the page's model out.</summary>
    public static DashboardData Build(IReadOnlyList<CallRecord> calls, DateTimeOffset from, DateTimeOffset to, RulesView rules)
    {
        var (size, step) = (to - from) <= TimeSpan.FromDays(2) ? ("hour", TimeSpan.FromHours(1)) : ("day", TimeSpan.FromDays(1));
        var first = Floor(from, step);
        var count = (int)Math.Ceiling((to - first) / step);
        var decided = calls.Where(c => c.DecisionTime is { } at && at >= from && at < to && c.Decided is not null).ToList();
        var ended = calls.Where(c => c.Ended?.At is { } at && at >= from && at < to).ToList();

        var buckets = Enumerable.Range(0, count).Select(i =>
        {
            var start = first + step * i;
            bool In(DateTimeOffset? at) => at >= start && at < start + step;
            var here = decided.Where(c => In(c.DecisionTime)).ToList();
            return new TimeBucket(start, DecidedCounts.Count(here),
                ended.Where(c => In(c.Ended!.At)).GroupBy(CodeKey).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count()));
        }).ToList();

        var topRules = decided
            .GroupBy(c => (Rule: c.Decided!.RuleName, c.Decided.Action, c.Decided.Target))
            .Select(g => new RuleCount(g.Key.Rule, g.Key.Action, g.Count(), g.Key.Target))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Rule, StringComparer.Ordinal).Take(10).ToList();
        var rows = calls
            .OrderByDescending(c => c.ReceivedAt ?? c.Ended?.At)
            .ThenBy(c => c.CallId, StringComparer.Ordinal)
            .Take(MaxCalls).Select(Row).ToList();
        return new DashboardData(from, to, size,
            new Totals(calls.Count, DecidedCounts.Count(decided), ended.Count),
            buckets, topRules, OutcomeSummary.Count(ended, from, to).ByCode, rows, calls.Count > MaxCalls, rules);
    }

    /// <summary>The rules table's rows with the status <c>rules validate</c> gives them.</summary>
    public static RulesView RulesOf(string table, IReadOnlyList<TableEntity> rows, DateTimeOffset readAt, DateTimeOffset? inUseSince)
    {
        var checks = RuleValidator.Validate(rows);
        var views = rows.Zip(checks, (row, check) => new RuleRowView(row.PartitionKey, row.RowKey,
                RuleRow.Columns.Where(row.ContainsKey).ToDictionary(c => c, c => Convert.ToString(row[c], CultureInfo.InvariantCulture) ?? ""),
                check.Status switch { RowStatus.Error => "error", RowStatus.Warning => "warning", _ => check.Enabled ? "ok" : "disabled" },
                [.. check.Issues.Select(i => i.ToString())]))
            .OrderBy(r => r.Scope, StringComparer.Ordinal)
            .ThenBy(r => int.TryParse(r.Columns.GetValueOrDefault("Priority"), CultureInfo.InvariantCulture, out var p) ? p : int.MaxValue)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new RulesView(table, readAt, inUseSince, views);
    }

    private static string CodeKey(CallRecord c) => c.Ended?.Key ?? TerminationCodes.NoResultInfoKey;

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) =>
        new(at.UtcTicks - at.UtcTicks % step.Ticks, TimeSpan.Zero);

    private static CallRow Row(CallRecord c) => new(
        c.CallId, c.Caller, c.Callee, c.CallType, c.TenantId,
        c.ReceivedAt, c.Decided?.Rule, c.Decided?.ActionText, c.Decided?.Reason, c.Graph?.Status,
        c.Graph?.DryRun, c.Ended?.Code, c.Ended?.Subcode, c.Ended?.Message,
        c.Ended?.Described,
        c.Ended?.At, c.Decided?.Target, c.Challenge is { } challenge ? challenge.Result ?? "undecided" : null,
        c.Ended?.NotReported == true);
}
