using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Records;
using CallFunctions.RuleTable;

namespace CallFunctions.Operators.DashboardPage;

public sealed record Totals(int Calls, int Rejected, int HungUp, int Allowed, int Ended, int Redirected = 0);

/// <summary>One bar of the chart: decisions made and calls ended in [Start, Start + size), endings by "code/subcode".</summary>
public sealed record TimeBucket(DateTimeOffset Start, int Rejected, int HungUp, int Allowed, IReadOnlyDictionary<string, int> Ended, int Redirected = 0);

public sealed record CallRow(
    string CallId, string? Caller, string? Callee, string? CallType, string? TenantId, DateTimeOffset? ReceivedAt,
    string? Rule, string? Action, string? Reason, int? GraphStatus, bool? DryRun,
    int? Code, int? Subcode, string? Message, string? Meaning, DateTimeOffset? TerminatedAt, string? Target = null);

public sealed record RuleRowView(string Scope, string Name, IReadOnlyDictionary<string, string> Columns, string Status, IReadOnlyList<string> Issues);

public sealed record RulesView(string Table, DateTimeOffset ReadAt, DateTimeOffset? InUseSince, IReadOnlyList<RuleRowView> Rows);

/// <summary>What the page shows for a period: the counts, the chart's bars, the rules that decided most, the calls, the rules.</summary>
public sealed record DashboardData(
    DateTimeOffset From, DateTimeOffset To, string BucketSize, Totals Totals, IReadOnlyList<TimeBucket> Buckets,
    IReadOnlyList<RuleCount> TopRules, IReadOnlyList<CodeCount> ByCode, IReadOnlyList<CallRow> Calls, bool CallsCut, RulesView Rules)
{
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
            return new TimeBucket(start,
                here.Count(c => c.Decided!.Is(RuleAction.Reject)),
                here.Count(c => c.Decided!.Is(RuleAction.HangUp)),
                here.Count(c => c.Decided!.Is(RuleAction.Allow)),
                ended.Where(c => In(c.Ended!.At)).GroupBy(CodeKey).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count()),
                here.Count(c => c.Decided!.Is(RuleAction.Redirect)));
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
            new Totals(calls.Count, buckets.Sum(b => b.Rejected), buckets.Sum(b => b.HungUp), buckets.Sum(b => b.Allowed), ended.Count,
                buckets.Sum(b => b.Redirected)),
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

    private static string CodeKey(CallRecord c) => TerminationCodes.Key(c.Ended?.Code, c.Ended?.Subcode);

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) =>
        new(at.UtcTicks - at.UtcTicks % step.Ticks, TimeSpan.Zero);

    private static CallRow Row(CallRecord c) => new(
        c.CallId, c.Caller, c.Callee, c.CallType, c.TenantId,
        c.ReceivedAt, c.Decided?.Rule, c.Decided?.ActionText, c.Decided?.Reason, c.Graph?.Status,
        c.Graph?.DryRun, c.Ended?.Code, c.Ended?.Subcode, c.Ended?.Message,
        c.Ended?.Described,
        c.Ended?.At, c.Decided?.Target);
}
