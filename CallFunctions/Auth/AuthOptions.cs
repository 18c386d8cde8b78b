using System.ComponentModel.DataAnnotations;

namespace CallFunctions.Auth;

/// <summary>Who may drive the bot: requests must carry a token Microsoft signed for the bot's app id.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>Off only for a local run: then anyone who can reach the webhook can reject and hang up calls.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the signing keys are published: the OpenID configuration of Graph's calling platform.</summary>
    public Uri OpenIdConfiguration { get; set; } = new("https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration");

    /// <summary>Comma-separated: app settings are flat strings.</summary>
    public string Issuers { get; set; } = "https://graph.microsoft.com,https://api.botframework.com";

    /// <summary>The bot's app id; Graph__ClientId when not set.</summary>
    public string? Audience { get; set; }

    /// <summary>Comma-separated tenant ids; empty means any tenant.</summary>
    public string? AllowedTenants { get; set; }

    public IReadOnlyList<string> IssuerList() => Split(Issuers);

    public IReadOnlyList<string> AllowedTenantList() => Split(AllowedTenants);

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Audience))
            yield return new ValidationResult(
                "Auth__Audience (or Graph__ClientId) is required: notifications must carry a token issued for the bot's app id. " +
                "Set Graph__ClientId to the app id, or Auth__Enabled=false for a local run only.", [nameof(Audience)]);
        // Plain http would let anyone on the path swap the keys; a loopback address is for tests and local stand-ins.
        if (!OpenIdConfiguration.IsAbsoluteUri
            || !(OpenIdConfiguration.Scheme == Uri.UriSchemeHttps || (OpenIdConfiguration.Scheme == Uri.UriSchemeHttp && OpenIdConfiguration.IsLoopback)))
            yield return new ValidationResult(
                $"Auth__OpenIdConfiguration must be an absolute https URL (http only on a loopback address), not \"{OpenIdConfiguration}\".",
                [nameof(OpenIdConfiguration)]);
        if (IssuerList().Count == 0)
            yield return new ValidationResult("Auth__Issuers must list at least one issuer.", [nameof(Issuers)]);
    }
}
