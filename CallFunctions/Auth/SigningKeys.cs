using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CallFunctions.Auth;

/// <summary>
/// Microsoft's token-signing keys, read from the OpenID configuration and its jwks. Keys rotate: a token naming a key
/// not in the set makes one read of the keys, at most once per <see cref="UnknownKeyRefresh"/>, so tokens with made-up
/// key ids cannot cause a storm of fetches. Reads are single-flight; a failed read keeps the keys already known.
/// </summary>
public sealed class SigningKeys : IDisposable
{
    public static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AutomaticRefresh = TimeSpan.FromHours(24);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IHttpClientFactory _http;
    private readonly Uri _address;
    private readonly TimeProvider _clock;
    private readonly ILogger<SigningKeys> _logger;
    private Snapshot? _current;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUnknownKeyRefresh = DateTimeOffset.MinValue;

    public SigningKeys(IHttpClientFactory http, IOptions<AuthOptions> options, TimeProvider clock, ILogger<SigningKeys> logger)
    {
        _http = http;
        _address = options.Value.OpenIdConfiguration;
        _clock = clock;
        _logger = logger;
    }

    private sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, DateTimeOffset ReadAt)
    {
        public bool Has(string keyId) => Keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
    }

    /// <summary>The keys to check a token naming <paramref name="keyId"/> with; null when none could ever be read.</summary>
    public async Task<IReadOnlyList<SecurityKey>?> GetAsync(string? keyId, CancellationToken ct)
    {
        var seen = Volatile.Read(ref _current);
        if (seen is not null && !IsStale(seen) && (keyId is null || seen.Has(keyId) || !UnknownKeyMayRefresh())) return seen.Keys;

        await _gate.WaitAsync(ct);
        try
        {
            var current = Volatile.Read(ref _current);
            // Another request read the keys while this one waited: its answer serves this one too.
            if (!ReferenceEquals(current, seen) && current is not null) return current.Keys;
            var unknownKey = current is not null && !IsStale(current);
            if (unknownKey && !UnknownKeyMayRefresh()) return current!.Keys;
            // The keys' host is down: a request every few seconds, not one per notification.
            if (_clock.GetUtcNow() - _lastFailure < RetryAfterFailure) return current?.Keys;

            if (unknownKey) _lastUnknownKeyRefresh = _clock.GetUtcNow();
            if (await ReadAsync(ct) is { } fresh) return fresh.Keys;
            _lastFailure = _clock.GetUtcNow();
            return current?.Keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsStale(Snapshot snapshot) => _clock.GetUtcNow() - snapshot.ReadAt > AutomaticRefresh;

    private bool UnknownKeyMayRefresh() => _clock.GetUtcNow() - _lastUnknownKeyRefresh >= UnknownKeyRefresh;

    private async Task<Snapshot?> ReadAsync(CancellationToken ct)
    {
        try
        {
            // http is accepted only where the options allowed it: on a loopback address.
            var retriever = new HttpDocumentRetriever(_http.CreateClient(nameof(SigningKeys))) { RequireHttps = _address.Scheme == Uri.UriSchemeHttps };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_address.AbsoluteUri, retriever, ct);
            var snapshot = new Snapshot([.. configuration.SigningKeys], _clock.GetUtcNow());
            Volatile.Write(ref _current, snapshot);
            Log.KeysRead(_logger, snapshot.Keys.Count, _address);
            return snapshot;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.KeysFailed(_logger, e, _address);
            return null;
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
    }
}
