namespace CallFunctions.Calls;

/// <summary>
/// What a rule's action carries beyond its name (a Reject's reason, a Redirect's targets), read from the rule's columns
/// as the action's declaration says (<see cref="ActionDeclaration.ReadPayload"/>), and kept in the call's record under
/// the same column names.
/// </summary>
public abstract record ActionPayload
{
    /// <summary>What the call's record keeps of it, and what-if compares: column name and text, in the declaration's order.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Recorded { get; }

    public string? RecordedAs(string column) => Recorded.FirstOrDefault(c => c.Key == column).Value;
}

/// <summary>The reason a reject gives Graph (its <c>rejectReason</c>).</summary>
public enum RejectReason { None, Busy, Forbidden }

/// <summary>A Reject's payload: the reason Graph is given.</summary>
public sealed record Rejection(RejectReason Reason) : ActionPayload
{
    public override IReadOnlyList<KeyValuePair<string, string>> Recorded => [new("Reason", Reason.ToString())];
}

/// <summary>
/// Where a redirect sends a ringing call: its targets (Graph rings them all at once and the first to pick up gets the
/// call), each a <c>phone</c>, <c>user</c> or <c>applicationInstance</c> identity, and how long they ring.
/// </summary>
public sealed record Redirection(IReadOnlyList<Identity> Targets, int? TimeoutSeconds = null) : ActionPayload
{
    /// <summary>The record keeps where the call went; how long the targets rang is the rule's.</summary>
    public override IReadOnlyList<KeyValuePair<string, string>> Recorded => [new("Target", TargetText)];

    /// <summary>Graph's bounds: at most 25 targets ring at once, for 15 to 90 seconds.</summary>
    public const int MaxTargets = 25;
    public const int MinTimeoutSeconds = 15;
    public const int MaxTimeoutSeconds = 90;

    /// <summary>
    /// The targets as the record's <c>Target</c> column keeps them, and as a rule's <c>Target</c> column may be written:
    /// <c>kind:id</c>, comma-separated.
    /// </summary>
    public string TargetText => string.Join(", ", Targets.Select(t => $"{t.Kind}:{t.Id}"));

    public override string ToString() => TargetText;
}
