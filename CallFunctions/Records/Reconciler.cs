using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;
using C = CallFunctions.Records.CallRecord.Columns;

namespace CallFunctions.Records;

/// <summary>What one run of the reconciler found and did; <see cref="Left"/> waits for the next run.</summary>
public sealed record ReconcileReport(string Run, int Open, int Due, int Closed, int Live, int HungUp, int Unanswered, int Left, bool DryRun);

/// <summary>
/// Closes the records of calls whose end Graph never sent. The calls recorded without an end are found through the
/// index (its entries marked <see cref="CallIndex.Open"/>, in the hours of the last Outcomes__ReconcileLimitHours),
/// and each one open longer than Outcomes__ReconcileAfterMinutes is asked about, once a period:
/// <c>GET /communications/calls/{id}</c>. A 404 closes its record as ended, not reported by Graph; a call still live
/// is asked again a period later; a call the bot stayed in past its <see cref="BotInCallUntil"/> is hung up, once.
/// <para>
/// One run acts on a call: the ask is claimed on the record (ReconciledAt and ReconcileRun, written on its ETag) before
/// Graph is asked, and the closing is written on the ETag that claim left, so a termination written meanwhile wins.
/// A write whose answer was lost meets its own change on the SDK's repeat (412) and reads it back: the run's id there
/// means it went through. A storage or Graph failure leaves the record open, as it was.
/// </para>
/// </summary>
public sealed class Reconciler(
    CallIndex index,
    CallRecords records,
    ActionClaims claims,
    GraphCalls graph,
    CallMetrics metrics,
    IOptions<OutcomesOptions> options,
    IOptions<GraphOptions> graphOptions,
    TimeProvider clock,
    ILogger<Reconciler> logger)
{
    /// <summary>Written on a call's record by the action that answers it (a Challenge): until when the bot is meant to be in the call.</summary>
    public const string BotInCallUntil = CallRecord.Columns.BotInCallUntil;

    /// <summary>
    /// A run stops asking after this long, so it ends before the timer's next run (every 5 minutes); Graph's 429 and 503
    /// are retried within it. What it did not reach is left for the next run.
    /// </summary>
    public static readonly TimeSpan RunBudget = TimeSpan.FromMinutes(4);

    /// <summary>Calls asked about at once: a run of 500 takes seconds, and Graph is not asked faster than a few calls at a time.</summary>
    private const int Parallelism = 4;

    private enum Outcome { Closed, Live, HungUp, Unanswered, Ended, Skipped, Left }

    public async Task<ReconcileReport> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var run = Guid.NewGuid().ToString("N")[..12];
        var after = TimeSpan.FromMinutes(settings.ReconcileAfterMinutes);
        var limit = TimeSpan.FromHours(settings.ReconcileLimitHours);
        var margin = TimeSpan.FromMinutes(settings.ReconcileHangUpMarginMinutes);

        var open = (await index.OpenAsync(now - limit - after, now, ct))
            .GroupBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(g => new OpenCall(g.Key, [.. g]))
            .ToList();
        // The longest unasked first: a run that cannot take them all leaves the most recently asked for the next.
        var due = open.Where(c => c.IsDue(now, after, margin)).OrderBy(c => c.LastAsked ?? c.OpenedAt).ToList();
        var taken = due.Take(settings.ReconcileMaxCalls).ToList();

        if (graphOptions.Value.DryRun)
        {
            var hangUps = taken.Count(c => c.HangUpDue(now, margin));
            Log.ReconcileDryRun(logger, run, open.Count, due.Count, taken.Count, hangUps, due.Count - taken.Count);
            return new ReconcileReport(run, open.Count, due.Count, 0, 0, 0, 0, due.Count - taken.Count, DryRun: true);
        }

        var budget = now + RunBudget;
        var outcomes = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(taken, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (call, token) => outcomes.Add(clock.GetUtcNow() >= budget
                ? Outcome.Left
                : await ReconcileAsync(call, run, after, limit, margin, budget, token)));

        int Count(Outcome outcome) => outcomes.Count(o => o == outcome);
        var report = new ReconcileReport(run, open.Count, due.Count, Count(Outcome.Closed), Count(Outcome.Live), Count(Outcome.HungUp),
            Count(Outcome.Unanswered), due.Count - taken.Count + Count(Outcome.Left), DryRun: false);
        Log.Reconciled(logger, run, report.Open, report.Due, report.Closed, report.Live, report.HungUp, report.Unanswered, report.Left);
        return report;
    }

    private async Task<Outcome> ReconcileAsync(
        OpenCall call, string run, TimeSpan after, TimeSpan limit, TimeSpan margin, DateTimeOffset budget, CancellationToken ct)
    {
        var callId = call.CallId;
        try
        {
            // The record, not its index entries, says what is true now, with the ETag the writes below depend on.
            var record = await records.FindAsync(callId, ct);
            if (record is null) return Outcome.Skipped;
            if (record.ContainsKey(C.TerminatedAt))
            {
                // Its end is recorded, and an entry still says open (an end before its ring, or an index write lost): refiled.
                await RefileAsync(call, record, ct);
                return Outcome.Ended;
            }
            var now = clock.GetUtcNow();
            var asRecorded = new OpenCall(callId, [record]);
            if (!asRecorded.IsDue(now, after, margin)) return Outcome.Skipped;

            var ask = CallRecord.New(callId);
            ask[C.ReconciledAt] = Truncated(now);
            ask[C.ReconcileRun] = run;
            if (await MergeIfUnchangedAsync(ask, record.ETag, stored => stored.GetString(C.ReconcileRun) == run, ct) is not { } asked)
                return Outcome.Skipped;

            var answer = await graph.GetCallAsync(callId, budget, ct);
            if (answer.CallGone) return await CloseAsync(call, record, run, asked, ct);
            if (!answer.Succeeded)
            {
                Log.ReconcileUnanswered(logger, callId, answer.Status);
                return Outcome.Unanswered;
            }
            var live = Merged(record, ask);
            if (asRecorded.HangUpDue(now, margin)) return await HangUpAsync(callId, asRecorded.BotInCallUntil!.Value, ct);
            if (now - asRecorded.OpenedAt > limit)
                Log.StillLive(logger, callId, (int)(now - asRecorded.OpenedAt).TotalHours, (int)limit.TotalHours);
            // The index learns when it was asked, so the next runs skip it without reading its record.
            await WriteIndexAsync(() => index.WriteAsync(live, ask, ct), callId, ct);
            return Outcome.Live;
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.ReconcileStorageFailed(logger, e, callId);
            return Outcome.Unanswered;
        }
    }

    private async Task<Outcome> CloseAsync(OpenCall call, TableEntity record, string run, ETag asked, CancellationToken ct)
    {
        var end = CallRecord.NotReportedEnd(call.CallId, Truncated(clock.GetUtcNow()), run);
        // On the ETag this run's ask left: a termination written since then wins, and the record stays as Graph said.
        var closed = await MergeIfUnchangedAsync(end, asked,
            stored => stored.GetString(C.EndedBy) == CallRecord.EndedByReconciler && stored.GetString(C.ReconcileRun) == run, ct);
        if (closed is null) return Outcome.Ended;
        var whole = Merged(record, end);
        // Filed under the hour it was found ended and the hour it rang (CallIndex.WriteAsync), and any other open entry.
        var filed = new[] { end.GetDateTimeOffset(C.TerminatedAt), record.GetDateTimeOffset(C.ReceivedAt) }
            .OfType<DateTimeOffset>().Select(CallIndex.Bucket).ToHashSet(StringComparer.Ordinal);
        await WriteIndexAsync(async () =>
        {
            await index.WriteAsync(whole, end, ct);
            foreach (var entry in call.Entries.Where(e => !filed.Contains(e.PartitionKey)))
                await index.FileAsync(whole, end, entry.PartitionKey, ct);
        }, call.CallId, ct);
        metrics.EndedNotReported();
        Log.ClosedNotReported(logger, call.CallId, end.GetDateTimeOffset(C.TerminatedAt)!.Value);
        return Outcome.Closed;
    }

    /// <summary>The bot is still in a call past its time: hung up once, whichever run or delivery claims it first.</summary>
    private async Task<Outcome> HangUpAsync(string callId, DateTimeOffset until, CancellationToken ct)
    {
        if (await claims.HangUpOnceAsync(callId, () => graph.HangUpAsync(callId, clock.GetUtcNow(), ct), ct) is not { } result) return Outcome.Live;
        if (result.Failed)
        {
            // Its claim was given back, so the next run may try again.
            Log.HangUpFailed(logger, callId, result.Status);
            return Outcome.Live;
        }
        var hungUp = CallRecord.New(callId);
        hungUp[C.HungUpAt] = clock.GetUtcNow();
        hungUp[C.HangUpStatus] = result.Status;
        await records.SaveAsync(hungUp, RecordKind.Decision, ct);
        Log.HungUpPastItsTime(logger, callId, until, result.Status);
        return Outcome.HungUp;
    }

    private async Task RefileAsync(OpenCall call, TableEntity record, CancellationToken ct) =>
        await WriteIndexAsync(async () =>
        {
            await index.WriteAsync(record, record, ct);
            foreach (var entry in call.Entries) await index.FileAsync(record, record, entry.PartitionKey, ct);
        }, call.CallId, ct);

    /// <summary>An index write that fails leaves an entry marked open: the next run finds the record ended and refiles it.</summary>
    private async Task WriteIndexAsync(Func<Task> write, string callId, CancellationToken ct)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.ReconcileStorageFailed(logger, e, callId);
        }
    }

    /// <summary>
    /// Merges <paramref name="change"/> into the record if it is still as read (its ETag); the new ETag, or null when
    /// another writer came first. A 412 may also be this write, applied and its answer lost, meeting itself on the SDK's
    /// repeat: the record read back tells (<paramref name="ours"/>).
    /// </summary>
    private async Task<ETag?> MergeIfUnchangedAsync(TableEntity change, ETag etag, Func<TableEntity, bool> ours, CancellationToken ct)
    {
        try
        {
            var response = await records.Table.UpdateEntityAsync(change, etag, TableUpdateMode.Merge, ct);
            if (response.Headers.ETag is { } written) return written;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
        }
        var stored = await records.FindAsync(change.PartitionKey, ct);
        return stored is not null && ours(stored) ? stored.ETag : null;
    }

    private static TableEntity Merged(TableEntity record, TableEntity change)
    {
        var whole = new TableEntity(record);
        foreach (var (key, value) in change) whole[key] = value;
        return whole;
    }

    /// <summary>Milliseconds, as every store keeps them: a time read back compares equal to the one written.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>A call without an end, as its index entries (or its record) say.</summary>
    private sealed record OpenCall(string CallId, IReadOnlyList<TableEntity> Entries)
    {
        public DateTimeOffset OpenedAt { get; } = Entries
            .SelectMany(e => new[] { e.GetDateTimeOffset(C.ReceivedAt), e.GetDateTimeOffset(C.DecidedAt) })
            .OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

        public DateTimeOffset? LastAsked { get; } = Entries.Select(e => e.GetDateTimeOffset(C.ReconciledAt)).Max();

        public DateTimeOffset? BotInCallUntil { get; } = Entries.Select(e => e.GetDateTimeOffset(Reconciler.BotInCallUntil)).Max();

        private bool Ended => Entries.Any(e => e.ContainsKey(C.TerminatedAt));

        private bool HungUp => Entries.Any(e => e.ContainsKey(C.HungUpAt));

        /// <summary>The bot is in the call past its time and the margin, and the reconciler has not hung it up.</summary>
        public bool HangUpDue(DateTimeOffset now, TimeSpan margin) => !HungUp && BotInCallUntil is { } until && now >= until + margin;

        /// <summary>
        /// Open long enough and not asked this period; or the bot's time is up and it was not asked since; or an entry
        /// says open beside an end (to refile).
        /// </summary>
        public bool IsDue(DateTimeOffset now, TimeSpan after, TimeSpan margin) =>
            Ended
            || (now - OpenedAt >= after && (LastAsked is not { } asked || now - asked >= after))
            || (HangUpDue(now, margin) && (LastAsked is not { } last || last < BotInCallUntil!.Value + margin));
    }
}
