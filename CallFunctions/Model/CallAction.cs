using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallFunctions.Model;

/// <summary>
/// What can be done with a call: let it be, reject it or send it on (redirect) while it rings, or hang up once the bot
/// is in it.
/// </summary>
public enum RuleAction { Allow, Reject, HangUp, Redirect }

/// <summary>
/// An action with what it carries, as a decision and a call's record hold it, in one spelling (its text and its JSON):
/// <c>Reject Busy</c>, <c>Redirect to phone:+14255550100</c>, <c>HangUp</c>, <c>Allow</c>. A reason belongs to a Reject
/// and a target to a Redirect only, so two actions are equal exactly when they spell the same: what-if compares them.
/// </summary>
[JsonConverter(typeof(DecidedActionJson))]
public sealed record DecidedAction(RuleAction Action, string? Reason = null, string? Target = null)
{
    public string? Reason { get; } = Action == RuleAction.Reject ? Reason ?? nameof(RejectReason.None) : null;

    public string? Target { get; } = Action == RuleAction.Redirect ? Target : null;

    public override string ToString() => Action switch
    {
        RuleAction.Reject => $"Reject {Reason}",
        RuleAction.Redirect => $"Redirect to {Target}",
        _ => Action.ToString(),
    };
}

/// <summary>A <see cref="DecidedAction"/> in an answer: its text. Answers are written, never read back.</summary>
public sealed class DecidedActionJson : JsonConverter<DecidedAction>
{
    public override DecidedAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("An action's text is written in answers, not read.");

    public override void Write(Utf8JsonWriter writer, DecidedAction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

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
