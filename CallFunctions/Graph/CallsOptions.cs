using System.ComponentModel.DataAnnotations;

namespace CallFunctions.Graph;

public sealed class CallsOptions : IValidatableObject
{
    public const string Section = "Calls";

    /// <summary>Sent as callbackUri on reject, normally the CallOutcomes function's URL.</summary>
    public Uri? CallbackUri { get; set; }

    /// <summary>Graph drops a ringing call this long after it rang, so a reject must be done by then.</summary>
    [Range(1, 120, ErrorMessage = "Calls__DeadlineSeconds must be between 1 and 120.")]
    public double DeadlineSeconds { get; set; } = 15;

    /// <summary>Kept free at the end of the deadline: a retry that would end inside it is not started.</summary>
    [Range(0, 60, ErrorMessage = "Calls__DeadlineMarginSeconds must be between 0 and 60.")]
    public double DeadlineMarginSeconds { get; set; } = 2;

    /// <summary>Graph wants the webhook's answer within about 5 s: work still running then goes on after the 202.</summary>
    [Range(0.1, 30, ErrorMessage = "Calls__ResponseSeconds must be between 0.1 and 30.")]
    public double ResponseSeconds { get; set; } = 4;

    /// <summary>
    /// The Storage queue (in AzureWebJobsStorage) that holds the Challenge action's deadlines; the host's queue trigger
    /// reads it as <c>%Calls:ChallengeQueue%</c>, so the setting must be present. One queue per app: two apps on one
    /// queue would take each other's deadlines.
    /// </summary>
    [Required(ErrorMessage = "Calls__ChallengeQueue is required: the Storage queue of the Challenge action's deadlines (e.g. challenge-timeouts).")]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Calls__ChallengeQueue must be a queue name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string ChallengeQueue { get; set; } = "challenge-timeouts";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CallbackUri is not null && (!CallbackUri.IsAbsoluteUri || CallbackUri.Scheme != Uri.UriSchemeHttps))
            yield return new ValidationResult(
                $"Calls__CallbackUri must be an absolute https URL (the reject API demands it), not \"{CallbackUri}\".",
                [nameof(CallbackUri)]);
        if (DeadlineMarginSeconds >= DeadlineSeconds)
            yield return new ValidationResult(
                "Calls__DeadlineMarginSeconds must be less than Calls__DeadlineSeconds.", [nameof(DeadlineMarginSeconds)]);
    }
}
