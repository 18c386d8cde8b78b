namespace CallFunctions.Model;

/// <summary>
/// What can be done with a call: let it be, reject it or send it on (redirect) while it rings, or hang up once the bot
/// is in it.
/// </summary>
public enum RuleAction { Allow, Reject, HangUp, Redirect }

/// <summary>The reason a reject gives Graph (its <c>rejectReason</c>).</summary>
public enum RejectReason { None, Busy, Forbidden }

/// <summary>A call between two parties, or a group call; <see cref="Any"/> is for a rule that does not care.</summary>
public enum CallType { Any, PeerToPeer, Group }

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
