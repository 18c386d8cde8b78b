using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>What a token says; every field defaults to what Graph sends for the test bot.</summary>
public sealed record TokenSpec
{
    public string Issuer { get; init; } = "https://api.botframework.com";
    public string Audience { get; init; } = OpenIdStandIn.AppId;
    public string? TenantId { get; init; } = Notify.Tenant;
    public TimeSpan NotBefore { get; init; } = TimeSpan.FromMinutes(-5);
    public TimeSpan Expires { get; init; } = TimeSpan.FromMinutes(55);
    public RsaSecurityKey? Key { get; init; }
    public IDictionary<string, object>? Header { get; init; }
}

/// <summary>
/// Microsoft's OpenID configuration on loopback: serves <c>/.well-known/OpenIdConfiguration</c> and its jwks with RSA
/// keys made by the test, signs tokens with them, counts the fetches, and can publish a new key later (rotation).
/// </summary>
public sealed class OpenIdStandIn : IAsyncDisposable
{
    public const string AppId = "2d1b8a5e-6a4f-4f8e-9a61-0c7e4b9d3f21";

    // One RSA key for the whole run: generating one costs tens of milliseconds and most tests need only a valid token.
    private static readonly Lazy<RsaSecurityKey> DefaultKey = new(() => NewKey("default-key"));

    private LoopbackServer? _server;
    private readonly ConcurrentDictionary<string, int> _fetches = new();
    private readonly List<RsaSecurityKey> _published = [DefaultKey.Value];
    private readonly JsonWebTokenHandler _handler = new();

    public string ConfigurationUrl { get; private set; } = "";

    public RsaSecurityKey Key => DefaultKey.Value;

    public int Fetches(string path) => _fetches.TryGetValue(path, out var count) ? count : 0;

    public int KeyFetches => Fetches("/keys");

    public static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>Makes <paramref name="key"/> appear in the jwks from now on, as Microsoft does when it rotates keys.</summary>
    public void Publish(RsaSecurityKey key)
    {
        lock (_published) _published.Add(key);
    }

    /// <summary>Takes <paramref name="key"/> out of the jwks, as Microsoft does at the end of a rotation.</summary>
    public void Withdraw(RsaSecurityKey key)
    {
        lock (_published) _published.Remove(key);
    }

    public string Token(TokenSpec? spec = null)
    {
        spec ??= new TokenSpec();
        var now = RealTime.UtcNow; // the host checks the lifetime against its own, unshifted clock
        var claims = new Dictionary<string, object> { ["appid"] = "00000003-0000-0000-c000-000000000000" };
        if (spec.TenantId is not null) claims["tid"] = spec.TenantId;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer,
            Audience = spec.Audience,
            IssuedAt = now + spec.NotBefore,
            NotBefore = now + spec.NotBefore,
            Expires = now + spec.Expires,
            Claims = claims,
            AdditionalHeaderClaims = spec.Header,
            SigningCredentials = new SigningCredentials(spec.Key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) saying everything a valid one says.</summary>
    public static string Unsigned(string validToken)
    {
        var payload = validToken.Split('.')[1];
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT","kid":"default-key"}"""));
        return $"{header}.{payload}.";
    }

    public static async Task<OpenIdStandIn> StartAsync()
    {
        var standIn = new OpenIdStandIn();
        standIn._server = await LoopbackServer.StartAsync(standIn.HandleAsync);
        standIn.ConfigurationUrl = standIn._server.Address + "/.well-known/OpenIdConfiguration";
        return standIn;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        _fetches.AddOrUpdate(path, 1, (_, n) => n + 1);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        JsonNode? body = path switch
        {
            "/.well-known/OpenIdConfiguration" => new JsonObject
            {
                ["issuer"] = "https://api.botframework.com",
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = origin + "/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            },
            "/keys" => new JsonObject { ["keys"] = new JsonArray([.. PublishedKeys().Select(Jwk)]) },
            _ => null,
        };
        if (body is null)
        {
            http.Response.StatusCode = 404;
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    private List<RsaSecurityKey> PublishedKeys()
    {
        lock (_published) return [.. _published];
    }

    private static JsonNode Jwk(RsaSecurityKey key)
    {
        // The public half only.
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
