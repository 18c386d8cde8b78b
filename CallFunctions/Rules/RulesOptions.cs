using System.ComponentModel.DataAnnotations;
using CallFunctions.Model;

namespace CallFunctions.Rules;

public sealed class RulesOptions
{
    public const string Section = "Rules";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Rules__Table must be a table name: 3 to 63 letters or digits, starting with a letter.")]
    public string Table { get; set; } = "CallRules";

    [Range(0, 86400, ErrorMessage = "Rules__RefreshSeconds must be between 0 and 86400.")]
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>What happens when no rule matches: Allow, Reject (incoming calls) or HangUp (calls the bot is in).</summary>
    [EnumDataType(typeof(RuleAction), ErrorMessage = "Rules__DefaultAction must be Allow, Reject or HangUp.")]
    public RuleAction DefaultAction { get; set; } = RuleAction.Allow;
}
