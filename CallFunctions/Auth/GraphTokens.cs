using CallFunctions.Platform;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CallFunctions.Auth;

/// <summary>What the check of a request's bearer token found.</summary>
public abstract record TokenCheck
{
    public sealed record Valid : TokenCheck;

    /// <summary>Missing or invalid; <paramref name="Reason"/> is for the log and never holds the token.</summary>
    public sealed record Refused(string Reason, bool Missing = false) : TokenCheck;

    public sealed record TenantNotAllowed(string TenantId) : TokenCheck;

    public sealed record KeysUnavailable : TokenCheck;
}

/// <summary>
/// Checks the <c>Authorization: Bearer</c> token Graph puts on every notification: signed by a key of the OpenID
/// configuration, from a trusted issuer, for the bot's app id, within its lifetime, and from an allowed tenant.
/// <para>
/// Graph sends the same token on every notification for as long as it lives, so a token found valid is remembered
/// until its expiry, with the key set it was checked against: the next notification carrying it costs a dictionary
/// probe, not an RSA signature check. A new key set (rotation) or the token's expiry checks it in full again.
/// </para>
/// </summary>
public sealed class GraphTokens(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    // Microsoft signs with RS256; anything else (none, HS256 with the public key as secret…) is refused outright.
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = 16 * 1024 };
    private readonly AuthOptions _options = options.Value;
    private readonly HashSet<string> _tenants = new(options.Value.AllowedTenantList(), StringComparer.OrdinalIgnoreCase);

    /// <summary>At most this many tokens remembered: Graph uses a few at a time; forged ones are never remembered.</summary>
    private const int MaxRemembered = 64;

    /// <summary>Longer than a token Graph sends lives (about an hour): its own expiry ends it first.</summary>
    private static readonly TimeSpan RememberedFor = TimeSpan.FromHours(2);

    private readonly BoundedMemory<string, Checked> _checked = new(MaxRemembered, RememberedFor, clock, StringComparer.Ordinal);

    /// <summary>A token found valid against <paramref name="Keys"/>, with its key id, until <paramref name="Until"/> (UTC).</summary>
    private sealed record Checked(string? KeyId, IReadOnlyList<SecurityKey> Keys, DateTime Until, TokenCheck Answer);

    public async Task<TokenCheck> CheckAsync(string? authorization, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(authorization)) return new TokenCheck.Refused("no Authorization header", Missing: true);
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return new TokenCheck.Refused("the Authorization header is not a bearer token", Missing: true);
        var text = authorization[scheme.Length..].Trim();
        if (_checked.TryGet(text, out var known))
        {
            if (DateTime.UtcNow < known.Until && ReferenceEquals(await keys.GetAsync(known.KeyId, ct), known.Keys)) return known.Answer;
            _checked.Forget(text);
        }

        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(text);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return new TokenCheck.Refused("the token is malformed");
        }

        var keyId = KeyId(token);
        if (await keys.GetAsync(keyId, ct) is not { } signingKeys) return new TokenCheck.KeysUnavailable();

        var result = await _handler.ValidateTokenAsync(token, Parameters(signingKeys));
        if (!result.IsValid) return new TokenCheck.Refused(Reason(result.Exception));

        var tenant = result.Claims.TryGetValue("tid", out var tid) ? tid as string : null;
        TokenCheck answer = _tenants.Count > 0 && (tenant is null || !_tenants.Contains(tenant))
            ? new TokenCheck.TenantNotAllowed(tenant ?? "(none)")
            : new TokenCheck.Valid();
        _checked.Set(text, new Checked(keyId, signingKeys, token.ValidTo, answer));
        return answer;
    }

    private static string? KeyId(JsonWebToken token)
    {
        if (!string.IsNullOrEmpty(token.Kid)) return token.Kid;
        return string.IsNullOrEmpty(token.X5t) ? null : token.X5t;
    }

    private TokenValidationParameters Parameters(IReadOnlyList<SecurityKey> signingKeys) => new()
    {
        IssuerSigningKeys = signingKeys,
        ValidIssuers = _options.IssuerList(),
        ValidAudience = _options.Audience,
        ValidAlgorithms = Algorithms,
        ClockSkew = ClockSkew,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ValidateIssuer = true,
        ValidateAudience = true,
    };

    /// <summary>The library's messages hide details behind PII markers; these say why in the operator's words.</summary>
    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenInvalidLifetimeException => "the token's lifetime is invalid",
        SecurityTokenInvalidAudienceException => "the token was issued for another audience than the bot's app id",
        SecurityTokenInvalidIssuerException => "the token's issuer is not in Auth__Issuers",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key that is not in the OpenID configuration",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not allowed",
        SecurityTokenInvalidSignatureException => "the token's signature is invalid",
        SecurityTokenMalformedException => "the token is malformed",
        null => "the token is invalid",
        _ => $"the token is invalid ({exception.GetType().Name})",
    };
}
