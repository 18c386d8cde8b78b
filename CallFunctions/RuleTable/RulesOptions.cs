using System.ComponentModel.DataAnnotations;
using CallFunctions.Calls;

using CallFunctions.Rules;

namespace CallFunctions.RuleTable;

public sealed class RulesOptions : IValidatableObject
{
    public const string Section = "Rules";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Rules__Table must be a table name: 3 to 63 letters or digits, starting with a letter.")]
    public string Table { get; set; } = "CallRules";

    [Range(0, 86400, ErrorMessage = "Rules__RefreshSeconds must be between 0 and 86400.")]
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>What happens when no rule matches: Allow, Reject or Redirect (incoming calls) or HangUp (calls the bot is in).</summary>
    [EnumDataType(typeof(RuleAction), ErrorMessage = "Rules__DefaultAction must be Allow, Reject, Redirect or HangUp.")]
    public RuleAction DefaultAction { get; set; } = RuleAction.Allow;

    /// <summary>Where the default action Redirect sends a call, written as a rule's Target column.</summary>
    public string? DefaultTarget { get; set; }

    /// <summary>
    /// The default action with its targets, as the evaluator takes it; valid once the options validated. A method, not
    /// a property: validation reads every property, before it knows the target can be read.
    /// </summary>
    public Fallback ToFallback() => DefaultAction == RuleAction.Redirect && !string.IsNullOrWhiteSpace(DefaultTarget)
        ? new Fallback(DefaultAction, new Redirection(Targets.Parse(DefaultTarget)))
        : new Fallback(DefaultAction);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasTarget = !string.IsNullOrWhiteSpace(DefaultTarget);
        if (DefaultAction == RuleAction.Challenge)
            yield return new ValidationResult(
                "Rules__DefaultAction cannot be Challenge: a challenge is a rule's, with its key, target and prompt. Write a Challenge rule without conditions, with the largest Priority, instead.",
                [nameof(DefaultAction)]);
        if (DefaultAction == RuleAction.Redirect && !hasTarget)
            yield return new ValidationResult(
                $"Rules__DefaultTarget is required when Rules__DefaultAction is Redirect: where calls go, {Targets.Kinds}.", [nameof(DefaultTarget)]);
        else if (DefaultAction != RuleAction.Redirect && hasTarget)
            yield return new ValidationResult(
                $"Rules__DefaultTarget applies only when Rules__DefaultAction is Redirect, and it is {DefaultAction}.", [nameof(DefaultTarget)]);
        else if (hasTarget && Error(DefaultTarget!) is { } error)
            yield return new ValidationResult($"Rules__DefaultTarget {error}.", [nameof(DefaultTarget)]);
    }

    private static string? Error(string target)
    {
        try
        {
            Targets.Parse(target);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
