using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Auth;

public sealed class GraphTokenTests
{
    private static string Pstn(string callId) => Notify.Incoming(callId, Notify.Phone("+14255550123"));

    private static readonly Dictionary<string, Func<OpenIdStandIn, string?>> RefusedTokens = new()
    {
        ["expired"] = id => "Bearer " + id.Token(new TokenSpec { NotBefore = TimeSpan.FromMinutes(-70), Expires = TimeSpan.FromMinutes(-6) }),
        ["not yet valid"] = id => "Bearer " + id.Token(new TokenSpec { NotBefore = TimeSpan.FromMinutes(6), Expires = TimeSpan.FromMinutes(60) }),
        ["for another audience"] = id => "Bearer " + id.Token(new TokenSpec { Audience = "11111111-2222-3333-4444-555555555555" }),
        ["from another issuer"] = id => "Bearer " + id.Token(new TokenSpec { Issuer = "https://login.example.com" }),
        ["signed with an unknown key"] = id => "Bearer " + id.Token(new TokenSpec { Key = OpenIdStandIn.NewKey("stranger-key") }),
        ["with a bad signature"] = id => "Bearer " + id.Token(new TokenSpec { Key = OpenIdStandIn.NewKey("default-key") }),
        ["unsigned (alg none)"] = id => "Bearer " + OpenIdStandIn.Unsigned(id.Token()),
        ["with a tampered payload"] = id => "Bearer " + Tampered(id.Token()),
        ["malformed"] = _ => "Bearer not.a.jwt",
        ["empty"] = _ => "Bearer ",
        ["of another scheme"] = id => "Basic " + id.Token(),
        ["missing"] = _ => null,
    };

    public static TheoryData<string> RefusedTokenCases() => [.. RefusedTokens.Keys];

    /// <summary>The same token with the tenant claim changed: the signature no longer matches.</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]))!;
        payload["tid"] = "ffffffff-ffff-ffff-ffff-ffffffffffff";
        return $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    [Theory]
    [MemberData(nameof(RefusedTokenCases))]
    public async Task RefusesANotificationWhoseTokenIs(string token)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);
        var authorization = RefusedTokens[token](app.Identity);
        var callId = Notify.NewCallId();

        var response = await app.NotifyWithAsync(authorization, Pstn(callId));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        Assert.Equal("Unauthorized", problem["title"]!.GetValue<string>());
        Assert.Empty(app.Graph.Requests);
        Assert.Null(await app.RecordAsync(callId));
        var line = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 5001));
        Assert.StartsWith("Refused a request to /api/calls (401): ", line.Message, StringComparison.Ordinal);
        var credential = authorization?.Split(' ', 2)[1];
        if (!string.IsNullOrEmpty(credential))
            Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains(credential, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expired", "the token has expired")]
    [InlineData("not yet valid", "the token is not valid yet")]
    [InlineData("for another audience", "the token was issued for another audience than the bot's app id")]
    [InlineData("from another issuer", "the token's issuer is not in Auth__Issuers")]
    [InlineData("signed with an unknown key", "the token is signed with a key that is not in the OpenID configuration")]
    [InlineData("with a bad signature", "the token's signature is invalid")]
    [InlineData("unsigned (alg none)", "the token's signature is invalid")]
    [InlineData("malformed", "the token is malformed")]
    [InlineData("missing", "no Authorization header")]
    public async Task TheLogSaysWhyATokenWasRefused(string token, string reason)
    {
        await using var app = await TestApp.StartAsync();

        await app.NotifyWithAsync(RefusedTokens[token](app.Identity), Pstn(Notify.NewCallId()));

        var line = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 5001));
        Assert.Equal($"Refused a request to /api/calls (401): {reason}", line.Message);
    }

    [Fact]
    public async Task AcceptsAValidTokenWithinFiveMinutesOfClockSkewAndACtyHeader()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);
        var callId = Notify.NewCallId();
        var token = app.Identity.Token(new TokenSpec
        {
            NotBefore = TimeSpan.FromMinutes(-60),
            Expires = TimeSpan.FromMinutes(-4),
            Issuer = "https://graph.microsoft.com",
            Header = new Dictionary<string, object> { ["cty"] = "JWT" },
        });

        var response = await app.NotifyWithAsync("Bearer " + token, Pstn(callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
    }

    [Fact]
    public async Task TheOutcomesCallbackIsGuardedToo()
    {
        await using var app = await TestApp.StartAsync();
        var callId = Notify.NewCallId();

        var response = await app.NotifyWithAsync(null, Notify.Batch(Notify.TerminatedItem(callId, 0, 5002, "ended")), "/api/calls/outcomes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await app.RecordAsync(callId));
    }

    [Fact]
    public async Task RefusesAStrangerBeforeReadingTheBody()
    {
        await using var app = await TestApp.StartAsync();

        var tooLarge = await app.NotifyWithAsync(null, new string(' ', 2 * 1024 * 1024));
        var notJson = await app.Anonymous.PostAsync("/api/calls", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notJson.StatusCode);
    }

    [Fact]
    public async Task RefusesATenantNotInTheAllowedList()
    {
        var other = "0a8d9f1e-3c2b-4d5e-8f70-112233445566";
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")],
            new Dictionary<string, string?> { ["Auth:AllowedTenants"] = $" {other} , {Notify.Tenant}" });
        await using var strict = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")],
            new Dictionary<string, string?> { ["Auth:AllowedTenants"] = other });
        var allowed = Notify.NewCallId();
        var refused = Notify.NewCallId();

        var ok = await app.NotifyAsync(Pstn(allowed));
        var forbidden = await strict.NotifyAsync(Pstn(refused));
        var noTenant = await strict.NotifyWithAsync("Bearer " + strict.Identity.Token(new TokenSpec { TenantId = null }), Pstn(refused));

        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noTenant.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Empty(strict.Graph.Requests);
        Assert.Null(await strict.RecordAsync(refused));
        Assert.NotEmpty(await strict.Logs.MatchingAsync(l => l.EventId == 5002 && l.Message.Contains(Notify.Tenant, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PicksUpARotatedKeyWithoutARestart()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")], ownHost: true);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Pstn(Notify.NewCallId()))).StatusCode);
        var fetchesBefore = app.Identity.KeyFetches;
        var rotated = OpenIdStandIn.NewKey("rotated-key");
        app.Identity.Publish(rotated);
        var callId = Notify.NewCallId();

        var response = await app.NotifyWithAsync("Bearer " + app.Identity.Token(new TokenSpec { Key = rotated }), Pstn(callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(fetchesBefore + 1, app.Identity.KeyFetches);
        // The old key still works: both are published.
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Pstn(Notify.NewCallId()))).StatusCode);
    }

    [Fact]
    public async Task ATokenAcceptedBeforeIsRefusedOnceItsKeyIsWithdrawn()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")], ownHost: true);
        // Graph sends one token again and again: the app remembers it was valid, but not past a change of the keys.
        var token = "Bearer " + app.Identity.Token();
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyWithAsync(token, Pstn(Notify.NewCallId()))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyWithAsync(token, Pstn(Notify.NewCallId()))).StatusCode);
        var rotated = OpenIdStandIn.NewKey("rotated-key");
        app.Identity.Publish(rotated);
        app.Identity.Withdraw(app.Identity.Key);
        // A token signed with the new key makes the app read the keys again.
        Assert.Equal(HttpStatusCode.Accepted,
            (await app.NotifyWithAsync("Bearer " + app.Identity.Token(new TokenSpec { Key = rotated }), Pstn(Notify.NewCallId()))).StatusCode);
        var callId = Notify.NewCallId();

        var response = await app.NotifyWithAsync(token, Pstn(callId));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(app.GraphRequestsFor(callId));
        var line = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 5001));
        Assert.Equal("Refused a request to /api/calls (401): the token is signed with a key that is not in the OpenID configuration", line.Message);
    }

    [Fact]
    public async Task TokensWithMadeUpKeyIdsDoNotCauseAStormOfKeyFetches()
    {
        await using var app = await TestApp.StartAsync(ownHost: true);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Notify.Batch())).StatusCode);
        var fetchesBefore = app.Identity.KeyFetches;
        var strangers = Enumerable.Range(0, 4).Select(i => OpenIdStandIn.NewKey($"made-up-{i}")).ToList();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            app.NotifyWithAsync("Bearer " + app.Identity.Token(new TokenSpec { Key = strangers[i % strangers.Count] }), Notify.Batch())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.InRange(app.Identity.KeyFetches - fetchesBefore, 0, 1);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Notify.Batch())).StatusCode);
    }

    [Fact]
    public async Task AnswersServiceUnavailableWhenTheKeysCannotBeRead()
    {
        var closed = Ports.Free();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:OpenIdConfiguration"] = $"http://127.0.0.1:{closed}/.well-known/OpenIdConfiguration",
        });

        var response = await app.NotifyAsync(Pstn(Notify.NewCallId()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(app.Graph.Requests);
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 5005));
    }

    [Fact]
    public async Task WithAuthDisabledAnyoneIsServedAndTheAppWarnsAtStartUp()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")],
            new Dictionary<string, string?> { ["Auth:Enabled"] = "false", ["Graph:ClientId"] = "" });
        var callId = Notify.NewCallId();

        var response = await app.NotifyWithAsync(null, Pstn(callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        var warning = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 5003));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Equal(0, app.Identity.KeyFetches);
    }
}
