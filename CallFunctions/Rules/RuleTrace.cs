using System.Text.Json.Serialization;

namespace CallFunctions.Rules;

/// <summary>What became of one rule when the evaluator traced a decision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>Every condition held: this rule decided.</summary>
    [JsonStringEnumMemberName("matched")] Matched,

    /// <summary>A condition did not hold.</summary>
    [JsonStringEnumMemberName("noMatch")] NoMatch,

    /// <summary>An earlier rule decided.</summary>
    [JsonStringEnumMemberName("notReached")] NotReached,

    /// <summary>Enabled is false.</summary>
    [JsonStringEnumMemberName("disabled")] Disabled,

    /// <summary>A Reject rule on a call already answered, a HangUp rule on a ringing call.</summary>
    [JsonStringEnumMemberName("otherStage")] OtherStage,

    /// <summary>A row the rules table holds but the evaluator cannot use.</summary>
    [JsonStringEnumMemberName("badRow")] BadRow,
}

/// <summary>One condition of a rule checked against a call: the column, its value, whether it holds, and what was compared.</summary>
public sealed record ConditionCheck(Condition Column, string Value, bool Holds, string Detail);

/// <summary>One rule the call's tenant sees, in evaluation order, with its verdict and each condition checked.</summary>
public sealed record RuleVerdict(string Scope, string Name, int? Priority, string? Action, Verdict Verdict,
    IReadOnlyList<ConditionCheck> Conditions, string? Note = null);
