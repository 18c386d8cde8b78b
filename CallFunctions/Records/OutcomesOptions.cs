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

    /// <summary>A call recorded without an end this long after it rang is asked about (Reconciler), and asked again each such period.</summary>
    [Range(1, 10080, ErrorMessage = "Outcomes__ReconcileAfterMinutes must be a whole number of minutes from 1 to 10080 (a week).")]
    public int ReconcileAfterMinutes { get; set; } = 60;

    /// <summary>A call still live this long after it rang is logged at Warning, and asked no more: the reconciler reads no older hours.</summary>
    [Range(1, 720, ErrorMessage = "Outcomes__ReconcileLimitHours must be a whole number of hours from 1 to 720.")]
    public int ReconcileLimitHours { get; set; } = 24;

    /// <summary>At most this many calls asked about per run; the rest wait for the next run, the longest unasked first.</summary>
    [Range(1, 10000, ErrorMessage = "Outcomes__ReconcileMaxCalls must be from 1 to 10000.")]
    public int ReconcileMaxCalls { get; set; } = 500;

    /// <summary>A call the bot is in (BotInCallUntil) is hung up once it is still live this long after that time.</summary>
    [Range(0, 1440, ErrorMessage = "Outcomes__ReconcileHangUpMarginMinutes must be a whole number of minutes from 0 to 1440.")]
    public int ReconcileHangUpMarginMinutes { get; set; } = 5;
}
