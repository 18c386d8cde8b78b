using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Rules;

namespace CallFunctions.Records;

/// <summary>What the rules decided, as recorded: <see cref="Action"/> is null for a value this app does not know (an old row).</summary>
public sealed record RecordedDecision(string? Rule, string ActionText, RuleAction? Action, string? Reason, string? Target, DateTimeOffset? DecidedAt)
{
    /// <summary>
    /// The rule and action shown for a call whose record holds no decision (its ring never reached the webhook), in
    /// the summary, its JSON and the page's filter; not <see cref="Decision.DefaultRuleName"/>, a decision of the default.
    /// </summary>
    public const string NoneRecorded = "(none)";

    public bool Is(RuleAction action) => Action == action;

    /// <summary>An action of a call the bot is in (HangUp): decided when it happened, not when the call rang.</summary>
    public bool OnlyWhileActive => Action is { } action && !Actions.Of(action).AppliesAtStage(CallStage.Incoming);

    /// <summary>The rule that decided; a row without the column (the app always writes it) reads as a decision does.</summary>
    public string RuleName => Rule ?? Decision.DefaultRuleName;

    /// <summary>The action with what it carries; null for an action this app does not know, which it cannot compare.</summary>
    public DecidedAction? Taken => Action is { } action ? new(action, Reason, Target) : null;
}

/// <summary>What Graph answered the action (none for Allow).</summary>
public sealed record RecordedGraph(int? Status, int? Attempts, bool? DryRun);

/// <summary>A challenge as its record keeps it: the result (never the keys pressed), its times and what passed it.</summary>
public sealed record RecordedChallenge(string? Result, DateTimeOffset? AnsweredAt, DateTimeOffset? PromptAt, DateTimeOffset? VerdictAt, DateTimeOffset? PassedAt);

/// <summary>
/// How the call ended: Graph's resultInfo (absent after a reject) and its documented meaning; or, when
/// <see cref="NotReported"/>, found gone by the reconciler (Graph answered 404 and never sent its end), at the time found.
/// </summary>
public sealed record RecordedEnd(int? Code, int? Subcode, string? Message, string? Meaning, DateTimeOffset At, bool NotReported = false)
{
    /// <summary>The meaning recorded, or for an old row without one, the documented meaning of its code.</summary>
    public string Described => NotReported ? TerminationCodes.NotReported : Meaning ?? TerminationCodes.Describe(Code, Subcode);

    /// <summary>How endings count apart: <c>code/subcode</c>, or one key for each ending without a code.</summary>
    public string Key => NotReported ? TerminationCodes.NotReportedKey : TerminationCodes.Key(Code, Subcode);
}

/// <summary>
/// The record of one call in the outcomes table: its columns, how each stage writes them (<see cref="Decision"/>,
/// <see cref="Termination"/>) and the one typed reading of them (<see cref="From"/>) that every reader uses.
/// PartitionKey is the call id, so writes spread over as many partitions as there are calls; the call's claims
/// (<see cref="ActionClaims"/>) share the partition.
/// </summary>
public sealed record CallRecord(
    string CallId,
    string? TenantId,
    string? ChainId,
    string? Caller,
    string? Callee,
    string? CallType,
    string? Routes,
    DateTimeOffset? ReceivedAt,
    RecordedDecision? Decided,
    RecordedGraph? Graph,
    RecordedEnd? Ended,
    RecordedChallenge? Challenge = null)
{
    public const string RowKey = "call";

    public static class Columns
    {
        public const string CallId = nameof(CallId);
        public const string TenantId = nameof(TenantId);
        public const string ChainId = nameof(ChainId);
        public const string Caller = nameof(Caller);
        public const string Callee = nameof(Callee);
        public const string CallType = nameof(CallType);
        public const string Routes = nameof(Routes);
        public const string ReceivedAt = nameof(ReceivedAt);
        public const string Rule = nameof(Rule);
        public const string Action = nameof(Action);
        public const string Reason = nameof(Reason);
        public const string Target = nameof(Target);
        public const string DecidedAt = nameof(DecidedAt);
        public const string GraphStatus = nameof(GraphStatus);
        public const string GraphAttempts = nameof(GraphAttempts);
        public const string DryRun = nameof(DryRun);
        public const string Code = nameof(Code);
        public const string Subcode = nameof(Subcode);
        public const string Message = nameof(Message);
        public const string Meaning = nameof(Meaning);
        public const string TerminatedAt = nameof(TerminatedAt);

        // A challenge (Action Challenge): its result and times, and Graph's status for each request after the answer
        // (the answer's is GraphStatus). The keys the caller pressed are never kept (Graph's terms).
        public const string ChallengeResult = nameof(ChallengeResult);
        public const string AnsweredAt = nameof(AnsweredAt);
        public const string PromptAt = nameof(PromptAt);
        public const string VerdictAt = nameof(VerdictAt);
        public const string PassedAt = nameof(PassedAt);
        public const string SubscribeStatus = nameof(SubscribeStatus);
        public const string PromptStatus = nameof(PromptStatus);
        public const string CancelStatus = nameof(CancelStatus);
        public const string TransferStatus = nameof(TransferStatus);
        public const string HangUpStatus = nameof(HangUpStatus);

        /// <summary>Until when the bot is in the call at the latest (a challenge it answered): past it, the call is stuck.</summary>
        public const string BotInCallUntil = nameof(BotInCallUntil);

        /// <summary>Who closed the record: <see cref="EndedByGraph"/> (a termination) or <see cref="EndedByReconciler"/>.</summary>
        public const string EndedBy = nameof(EndedBy);

        /// <summary>When the reconciler last asked Graph about the call, and the run that asked (one run acts on a call).</summary>
        public const string ReconciledAt = nameof(ReconciledAt);
        public const string ReconcileRun = nameof(ReconcileRun);

        /// <summary>When the reconciler hung up a call the bot stayed in past its BotInCallUntil, and Graph's answer.</summary>
        public const string HungUpAt = nameof(HungUpAt);
    }

    /// <summary>A step of the call's challenge: the given columns merged into its record.</summary>
    public static TableEntity ChallengeStep(string callId, params (string Column, object? Value)[] columns)
    {
        var entity = New(callId);
        foreach (var (column, value) in columns)
            if (value is not null) entity[column] = value;
        return entity;
    }

    public const string EndedByGraph = "Graph";
    public const string EndedByReconciler = "Reconciler";

    private const string CalleeSeparator = " | ";

    public static TableEntity New(string callId) => new(callId, RowKey) { [Columns.CallId] = callId };

    /// <summary>What the rules decided about a call, with what was known of it then and what Graph answered.</summary>
    public static TableEntity Decision(
        string callId, CallContext context, string? chainId, DateTimeOffset? receivedAt, Decision decision, GraphResult? graph, DateTimeOffset decidedAt)
    {
        var entity = New(callId);
        if (context.TenantId is { } tenant) entity[Columns.TenantId] = tenant;
        if (chainId is not null) entity[Columns.ChainId] = chainId;
        if (context.Source.Identities.Count > 0) entity[Columns.Caller] = context.Source.ToString();
        if (context.Targets.Count > 0) entity[Columns.Callee] = string.Join(CalleeSeparator, context.Targets);
        if (context.Routes.Count > 0) entity[Columns.Routes] = CallRoute.Format(context.Routes);
        entity[Columns.CallType] = context.Type.ToString();
        if (receivedAt is { } at) entity[Columns.ReceivedAt] = at;
        entity[Columns.Rule] = decision.RuleName;
        entity[Columns.Action] = decision.Action.ToString();
        entity[Columns.DecidedAt] = decidedAt;
        // What the action carries, under its own columns (Reason, Target): its declaration's.
        foreach (var (column, value) in decision.Payload?.Recorded ?? []) entity[column] = value;
        if (graph is null) return entity;
        entity[Columns.GraphStatus] = graph.Status;
        entity[Columns.GraphAttempts] = graph.Attempts;
        entity[Columns.DryRun] = graph.DryRun;
        return entity;
    }

    /// <summary>How the call ended, merged into its record so its rule and action stay beside it.</summary>
    public static TableEntity Termination(CallEvent call, string meaning, DateTimeOffset terminatedAt)
    {
        var entity = New(call.CallId);
        entity[Columns.TerminatedAt] = terminatedAt;
        entity[Columns.Meaning] = meaning;
        // A termination that comes after the reconciler closed the record wins: its code, its meaning, its time.
        entity[Columns.EndedBy] = EndedByGraph;
        if (call.Result?.Code is { } code) entity[Columns.Code] = code;
        if (call.Result?.Subcode is { } subcode) entity[Columns.Subcode] = subcode;
        if (call.Result?.Message is { } message) entity[Columns.Message] = message;
        if (call.TenantId is { } tenant) entity[Columns.TenantId] = tenant;
        if (call.ChainId is { } chain) entity[Columns.ChainId] = chain;
        return entity;
    }

    /// <summary>The record a row holds; a column missing (an old row, a call seen only at its end) reads as null.</summary>
    public static CallRecord From(TableEntity e)
    {
        var action = e.GetString(Columns.Action);
        return new CallRecord(
            e.GetString(Columns.CallId) ?? e.PartitionKey,
            e.GetString(Columns.TenantId),
            e.GetString(Columns.ChainId),
            e.GetString(Columns.Caller),
            e.GetString(Columns.Callee),
            e.GetString(Columns.CallType),
            e.GetString(Columns.Routes),
            e.GetDateTimeOffset(Columns.ReceivedAt),
            action is null ? null : new RecordedDecision(
                e.GetString(Columns.Rule), action, Enum.IsDefined(typeof(RuleAction), action) ? Enum.Parse<RuleAction>(action) : null,
                e.GetString(Columns.Reason), e.GetString(Columns.Target), e.GetDateTimeOffset(Columns.DecidedAt)),
            e.ContainsKey(Columns.GraphStatus) || e.ContainsKey(Columns.DryRun)
                ? new RecordedGraph(e.GetInt32(Columns.GraphStatus), e.GetInt32(Columns.GraphAttempts), e.GetBoolean(Columns.DryRun))
                : null,
            e.GetDateTimeOffset(Columns.TerminatedAt) is { } ended
                ? new RecordedEnd(e.GetInt32(Columns.Code), e.GetInt32(Columns.Subcode), e.GetString(Columns.Message), e.GetString(Columns.Meaning), ended,
                    e.GetString(Columns.EndedBy) == EndedByReconciler)
                : null,
            action == nameof(RuleAction.Challenge)
                ? new RecordedChallenge(e.GetString(Columns.ChallengeResult), e.GetDateTimeOffset(Columns.AnsweredAt), e.GetDateTimeOffset(Columns.PromptAt),
                    e.GetDateTimeOffset(Columns.VerdictAt), e.GetDateTimeOffset(Columns.PassedAt))
                : null);
    }

    /// <summary>The columns the reconciler writes when Graph answered 404 for a call recorded without an end.</summary>
    public static TableEntity NotReportedEnd(string callId, DateTimeOffset foundAt, string run)
    {
        var entity = New(callId);
        entity[Columns.TerminatedAt] = foundAt;
        entity[Columns.Meaning] = TerminationCodes.NotReported;
        entity[Columns.EndedBy] = EndedByReconciler;
        entity[Columns.ReconciledAt] = foundAt;
        entity[Columns.ReconcileRun] = run;
        return entity;
    }

    /// <summary>What earlier notifications said about the call, as its record keeps it.</summary>
    public CallContext Context => new(
        TenantId,
        Party.Parse(Caller),
        [.. (Callee ?? "").Split(CalleeSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Party.Parse)],
        CallType == nameof(Calls.CallType.Group),
        CallRoute.ParseList(Routes));

    /// <summary>A call already rejected, redirected (the bot is out of it), hung up or terminated is not acted on again.</summary>
    public bool HasEnded =>
        Ended is not null
        || (Decided?.Action is { } action && Actions.Of(action).LeavesCall && Graph?.Status is >= 200 and < 300);

    /// <summary>When the decision was made: a hang-up when it was decided, a ring's decision when the call rang.</summary>
    public DateTimeOffset? DecisionTime =>
        Decided?.OnlyWhileActive == true ? Decided.DecidedAt : ReceivedAt ?? Decided?.DecidedAt;

    /// <summary>Table Storage refuses a string column over 64 KiB; a record keeps the start of a longer value.</summary>
    public const int MaxColumnChars = 16 * 1024;

    internal static void CutLongStrings(TableEntity entity)
    {
        foreach (var key in entity.Keys.ToList())
        {
            if (entity[key] is not string { Length: > MaxColumnChars } text) continue;
            var cut = char.IsHighSurrogate(text[MaxColumnChars - 1]) ? MaxColumnChars - 1 : MaxColumnChars;
            entity[key] = text[..cut] + "…";
        }
    }
}
