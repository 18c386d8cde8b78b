namespace CallFunctions.Calls;

/// <summary>The reason a reject gives Graph (its <c>rejectReason</c>).</summary>
public enum RejectReason { None, Busy, Forbidden }

/// <summary>
/// Where a redirect sends a ringing call: its targets (Graph rings them all at once and the first to pick up gets the
/// call), each a <c>phone</c>, <c>user</c> or <c>applicationInstance</c> identity, and how long they ring.
/// </summary>
public sealed record Redirection(IReadOnlyList<Identity> Targets, int? TimeoutSeconds = null)
{
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
