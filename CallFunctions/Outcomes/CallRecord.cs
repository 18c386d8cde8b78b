using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Model;
using CallFunctions.Rules;

namespace CallFunctions.Outcomes;

/// <summary>
/// The record of one call in the outcomes table: its columns, how each stage writes them, and what a later stage reads
/// back. PartitionKey is the call id, so writes spread over as many partitions as there are calls; the call's claims
/// (<see cref="Claims"/>) share the partition.
/// </summary>
public static class CallRecord
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
    }

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
        if (decision.Action == RuleAction.Reject) entity[Columns.Reason] = decision.Reason.ToString();
        if (decision.Redirect is { } redirect) entity[Columns.Target] = redirect.TargetText;
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
        if (call.Result?.Code is { } code) entity[Columns.Code] = code;
        if (call.Result?.Subcode is { } subcode) entity[Columns.Subcode] = subcode;
        if (call.Result?.Message is { } message) entity[Columns.Message] = message;
        if (call.TenantId is { } tenant) entity[Columns.TenantId] = tenant;
        if (call.ChainId is { } chain) entity[Columns.ChainId] = chain;
        return entity;
    }

    /// <summary>What earlier notifications said about the call, as its record keeps it; nothing known without a record.</summary>
    public static CallContext Context(TableEntity? record) => new(
        record?.GetString(Columns.TenantId),
        Party.Parse(record?.GetString(Columns.Caller)),
        [.. (record?.GetString(Columns.Callee) ?? "").Split(CalleeSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Party.Parse)],
        record?.GetString(Columns.CallType) == nameof(CallType.Group),
        CallRoute.ParseList(record?.GetString(Columns.Routes)));

    /// <summary>A call already rejected, redirected (the bot is out of it), hung up or terminated is not acted on again.</summary>
    public static bool HasEnded(TableEntity record) =>
        record.ContainsKey(Columns.TerminatedAt)
        || (record.GetString(Columns.Action) is nameof(RuleAction.Reject) or nameof(RuleAction.HangUp) or nameof(RuleAction.Redirect)
            && record.GetInt32(Columns.GraphStatus) is >= 200 and < 300);

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
