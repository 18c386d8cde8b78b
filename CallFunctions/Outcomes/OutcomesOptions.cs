using System.ComponentModel.DataAnnotations;

namespace CallFunctions.Outcomes;

public sealed class OutcomesOptions
{
    public const string Section = "Outcomes";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Outcomes__Table must be a table name: 3 to 63 letters or digits, starting with a letter.")]
    public string Table { get; set; } = "CallOutcomes";

    /// <summary>Where records wait on local disk while Table Storage is unavailable (default: a temp folder).</summary>
    public string? SpoolPath { get; set; }
}
