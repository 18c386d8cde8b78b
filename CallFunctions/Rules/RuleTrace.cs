using System.Text.Json.Serialization;
using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>What became of one rule when the evaluator traced a decision.</summary>
[JsonConverter(typeof(CamelCaseEnum<Verdict>))]
public enum Verdict
{
    /// <summary>Every condition held: this rule decided.</summary>
    Matched,

    /// <summary>A condition did not hold.</summary>
    NoMatch,

    /// <summary>An earlier rule decided.</summary>
    NotReached,

    /// <summary>Enabled is false.</summary>
    Disabled,

    /// <summary>A Reject rule on a call already answered, a HangUp rule on a ringing call.</summary>
    OtherStage,

    /// <summary>A row the rules table holds but the evaluator cannot use.</summary>
    BadRow,
}

/// <summary>One condition of a rule checked against a call: the column, its value, whether it holds, and what was compared.</summary>
public sealed record ConditionCheck(Condition Column, string Value, bool Holds, string Detail);

/// <summary>One rule the call's tenant sees, in evaluation order, with its verdict and each condition checked.</summary>
public sealed record RuleVerdict(string Scope, string Name, int? Priority, string? Action, Verdict Verdict,
    IReadOnlyList<ConditionCheck> Conditions, string? Note = null);
