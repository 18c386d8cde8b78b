using System.ComponentModel.DataAnnotations;

namespace CallFunctions.Records;

public sealed class OutcomesOptions
{
    public const string Section = "Outcomes";

    // 55, not 63: each day's index table is named after this one plus eight digits (CallIndex).
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,54}$", ErrorMessage = "Outcomes__Table must be a table name: 3 to 55 letters or digits, starting with a letter (each day's index table adds 8 digits to it).")]
    public string Table { get; set; } = "CallOutcomes";

    /// <summary>Where records wait on local disk while Table Storage is unavailable (default: a temp folder).</summary>
    public string? SpoolPath { get; set; }

    /// <summary>How many days call records (personal data: phone numbers) are kept; 0 keeps them forever.</summary>
    [Range(0, 36500, ErrorMessage = "Outcomes__RetentionDays must be a whole number of days from 0 (keep forever) to 36500.")]
    public int RetentionDays { get; set; } = 90;
}
