using System.ComponentModel.DataAnnotations;

namespace CallFunctions.Graph;

public sealed class GraphOptions : IValidatableObject
{
    public const string Section = "Graph";

    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Decide and record, but never call Graph.</summary>
    public bool DryRun { get; set; }

    /// <summary>Plain http is only for a local stand-in: no credential, no token.</summary>
    public bool IsLocalStandIn => BaseUrl.Scheme == Uri.UriSchemeHttp;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
            yield return new ValidationResult("Graph__BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        if (!string.IsNullOrEmpty(ClientSecret) && (string.IsNullOrWhiteSpace(TenantId) || string.IsNullOrWhiteSpace(ClientId)))
            yield return new ValidationResult(
                "Graph__ClientSecret is set, so Graph__TenantId and Graph__ClientId are required too.", [nameof(ClientSecret)]);
    }
}
