using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Model;
using C = CallFunctions.Outcomes.CallRecord.Columns;

namespace CallFunctions.DashboardPage;

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

    public const string NoResultInfo = "none";

    /// <summary>Pure: the period's records and the rules table's rows in, the page's model out.</summary>
    public static DashboardData Build(IReadOnlyList<TableEntity> calls, DateTimeOffset from, DateTimeOffset to, RulesView rules)
    {
        var (size, step) = (to - from) <= TimeSpan.FromDays(2) ? ("hour", TimeSpan.FromHours(1)) : ("day", TimeSpan.FromDays(1));
        var first = Floor(from, step);
        var count = (int)Math.Ceiling((to - first) / step);
        var decided = calls.Where(c => DecisionTime(c) is { } at && at >= from && at < to && c.GetString(C.Action) is not null).ToList();
        var ended = calls.Where(c => c.GetDateTimeOffset(C.TerminatedAt) is { } at && at >= from && at < to).ToList();

        var buckets = Enumerable.Range(0, count).Select(i =>
        {
            var start = first + step * i;
            bool In(DateTimeOffset? at) => at >= start && at < start + step;
            var here = decided.Where(c => In(DecisionTime(c))).ToList();
            return new TimeBucket(start,
                here.Count(c => c.GetString(C.Action) == nameof(RuleAction.Reject)),
                here.Count(c => c.GetString(C.Action) == nameof(RuleAction.HangUp)),
                here.Count(c => c.GetString(C.Action) == nameof(RuleAction.Allow)),
                ended.Where(c => In(c.GetDateTimeOffset(C.TerminatedAt))).GroupBy(CodeKey).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count()),
                here.Count(c => c.GetString(C.Action) == nameof(RuleAction.Redirect)));
        }).ToList();

        var topRules = decided
            .GroupBy(c => (Rule: c.GetString(C.Rule) ?? Decision.DefaultRuleName, Action: c.GetString(C.Action)!, Target: c.GetString(C.Target)))
            .Select(g => new RuleCount(g.Key.Rule, g.Key.Action, g.Count(), g.Key.Target))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Rule, StringComparer.Ordinal).Take(10).ToList();
        var rows = calls
            .OrderByDescending(c => c.GetDateTimeOffset(C.ReceivedAt) ?? c.GetDateTimeOffset(C.TerminatedAt))
            .ThenBy(c => c.PartitionKey, StringComparer.Ordinal)
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

    private static DateTimeOffset? DecisionTime(TableEntity c) =>
        c.GetString(C.Action) == nameof(RuleAction.HangUp) ? c.GetDateTimeOffset(C.DecidedAt) : c.GetDateTimeOffset(C.ReceivedAt) ?? c.GetDateTimeOffset(C.DecidedAt);

    private static string CodeKey(TableEntity c) =>
        c.GetInt32(C.Code) is { } code ? $"{code}/{c.GetInt32(C.Subcode)?.ToString(CultureInfo.InvariantCulture) ?? "-"}" : NoResultInfo;

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) =>
        new(at.UtcTicks - at.UtcTicks % step.Ticks, TimeSpan.Zero);

    private static CallRow Row(TableEntity c) => new(
        c.GetString(C.CallId) ?? c.PartitionKey, c.GetString(C.Caller), c.GetString(C.Callee), c.GetString(C.CallType), c.GetString(C.TenantId),
        c.GetDateTimeOffset(C.ReceivedAt), c.GetString(C.Rule), c.GetString(C.Action), c.GetString(C.Reason), c.GetInt32(C.GraphStatus),
        c.GetBoolean(C.DryRun), c.GetInt32(C.Code), c.GetInt32(C.Subcode), c.GetString(C.Message),
        c.GetString(C.Meaning) ?? (c.ContainsKey(C.TerminatedAt) ? TerminationCodes.Describe(c.GetInt32(C.Code), c.GetInt32(C.Subcode)) : null),
        c.GetDateTimeOffset(C.TerminatedAt), c.GetString(C.Target));
}
