using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallFunctions.Calls;

/// <summary>
/// An action with what it carries, as a decision and a call's record hold it, in one spelling (its text and its JSON):
/// <c>Reject Busy</c>, <c>Redirect to phone:+14255550100</c>, <c>HangUp</c>, <c>Allow</c>. A reason belongs to a Reject
/// and a target to a Redirect only, so two actions are equal exactly when they spell the same: what-if compares them.
/// </summary>
[JsonConverter(typeof(DecidedActionJson))]
public sealed record DecidedAction(RuleAction Action, string? Reason = null, string? Target = null)
{
    public string? Reason { get; } = Actions.Of(Action).Columns.Contains("Reason")
        ? Reason ?? Actions.Of(Action).DefaultPayload?.RecordedAs("Reason")
        : null;

    public string? Target { get; } = Actions.Of(Action).Columns.Contains("Target") ? Target : null;

    /// <summary>The action as its payload is recorded.</summary>
    public static DecidedAction Of(RuleAction action, ActionPayload? payload) =>
        new(action, payload?.RecordedAs("Reason"), payload?.RecordedAs("Target"));

    public override string ToString() => Actions.Of(Action).Text(this);
}

/// <summary>A <see cref="DecidedAction"/> in an answer: its text. Answers are written, never read back.</summary>
public sealed class DecidedActionJson : JsonConverter<DecidedAction>
{
    public override DecidedAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("An action's text is written in answers, not read.");

    public override void Write(Utf8JsonWriter writer, DecidedAction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
