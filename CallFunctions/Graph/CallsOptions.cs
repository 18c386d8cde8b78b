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
