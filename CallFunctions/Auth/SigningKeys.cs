using CallFunctions.Platform;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CallFunctions.Auth;

/// <summary>
/// Microsoft's token-signing keys, read from the OpenID configuration and its jwks. Keys rotate: a token naming a key
/// not in the set makes one read of the keys, at most once per <see cref="UnknownKeyRefresh"/>, so tokens with made-up
/// key ids cannot cause a storm of fetches. Reads are single-flight; a failed read keeps the keys already known
/// (<see cref="Refreshing{T}"/>, as the rules' cache).
/// </summary>
public sealed class SigningKeys : IDisposable
{
    public static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AutomaticRefresh = TimeSpan.FromHours(24);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private readonly Refreshing<IReadOnlyList<SecurityKey>> _keys;
    private readonly IHttpClientFactory _http;
    private readonly Uri _address;
    private readonly TimeProvider _clock;
    private readonly ILogger<SigningKeys> _logger;
    private DateTimeOffset _lastUnknownKeyRefresh = DateTimeOffset.MinValue;

    public SigningKeys(IHttpClientFactory http, IOptions<AuthOptions> options, TimeProvider clock, ILogger<SigningKeys> logger)
    {
        _http = http;
        _address = options.Value.OpenIdConfiguration;
        _clock = clock;
        _logger = logger;
        // The keys' host is down: a request every few seconds, not one per notification.
        _keys = new Refreshing<IReadOnlyList<SecurityKey>>(clock, RetryAfterFailure);
    }

    /// <summary>The keys to check a token naming <paramref name="keyId"/> with; null when none could ever be read.</summary>
    public async Task<IReadOnlyList<SecurityKey>?> GetAsync(string? keyId, CancellationToken ct)
    {
        var seen = _keys.Current;
        var fresh = seen is not null && _clock.GetUtcNow() < seen.FreshUntil;
        if (fresh && (keyId is null || Has(seen!.Value, keyId) || !UnknownKeyMayRefresh())) return seen!.Value;
        // Another request that read the keys while this one waited answers this one too.
        var read = await _keys.RefreshAsync(seen, async token =>
        {
            if (fresh) _lastUnknownKeyRefresh = _clock.GetUtcNow();
            return await ReadAsync(token) is { } keys ? (keys, AutomaticRefresh) : null;
        }, ct);
        return read?.Value;
    }

    private static bool Has(IReadOnlyList<SecurityKey> keys, string keyId) =>
        keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));

    private bool UnknownKeyMayRefresh() => _clock.GetUtcNow() - _lastUnknownKeyRefresh >= UnknownKeyRefresh;

    private async Task<IReadOnlyList<SecurityKey>?> ReadAsync(CancellationToken ct)
    {
        try
        {
            // http is accepted only where the options allowed it: on a loopback address.
            var retriever = new HttpDocumentRetriever(_http.CreateClient(nameof(SigningKeys))) { RequireHttps = _address.Scheme == Uri.UriSchemeHttps };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_address.AbsoluteUri, retriever, ct);
            IReadOnlyList<SecurityKey> keys = [.. configuration.SigningKeys];
            Log.KeysRead(_logger, keys.Count, _address);
            return keys;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.KeysFailed(_logger, e, _address);
            return null;
        }
    }

    public void Dispose() => _keys.Dispose();
}
