using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CallFunctions.Tests;

public sealed class SecretsTests
{
    private const string FunctionKey = "SECRETKEY-f00dfeed";
    // A fake, assembled at run time so secret scanners do not take it for a committed credential.
    private static readonly string ClientSecret = string.Concat("CLIENT", "SECRET-8Q~c0ffee");

    [Fact]
    public async Task NoTokenKeyOrSecretReachesTheHostsLogsOrTheAnswers()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")], new Dictionary<string, string?>
        {
            ["Graph:TenantId"] = Notify.Tenant,
            ["Graph:ClientSecret"] = ClientSecret,
        });
        var accountKey = AccountKey(app.Storage.ConnectionString);
        var token = app.Identity.Token();
        var expired = app.Identity.Token(new TokenSpec { Expires = TimeSpan.FromMinutes(-30), NotBefore = TimeSpan.FromMinutes(-90) });
        var bodies = new List<string>();

        async Task SendAsync(string route, string body, string? bearer, string contentType = "application/json")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{route}?code={FunctionKey}")
            {
                Content = new StringContent(body, Encoding.UTF8, contentType),
            };
            request.Headers.Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer);
            var response = await (bearer is null ? app.Anonymous : app.Client).SendAsync(request);
            bodies.Add($"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");
        }

        await SendAsync("/api/calls", Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")), token);
        await SendAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(Notify.NewCallId(), 0, 5002, "ended")), token);
        await SendAsync("/api/calls", "{\"value\": [", token);
        await SendAsync("/api/calls", "{}", token, "text/plain");
        await SendAsync("/api/calls", "{}", expired);
        await SendAsync("/api/calls", "{}", token[..^5] + "AAAAA");
        await SendAsync("/api/calls", "{}", null);
        // The operator routes with the real function key in the URL, and the admin API with the master key.
        bodies.Add(await (await app.Anonymous.GetAsync($"/api/outcomes/summary?code={FunctionsHost.FunctionKey}")).Content.ReadAsStringAsync());
        bodies.Add(await (await app.Anonymous.GetAsync($"/admin/host/status?code={FunctionsHost.MasterKey}")).Content.ReadAsStringAsync());
        await app.Anonymous.GetAsync("/api/outcomes/summary?code=" + FunctionsHost.FunctionKey[..^3] + "xyz");

        Assert.Contains(bodies, b => b.StartsWith("202 ", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith("401 ", StringComparison.Ordinal));
        string[] secrets = [FunctionKey, FunctionsHost.FunctionKey, FunctionsHost.MasterKey, ClientSecret, accountKey, token, expired, token[..^5]];
        // Everything the host printed: its own lines and, relayed, the worker's.
        await Task.Delay(500);
        var logs = app.Logs.Text.Split('\n').ToList();
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            var leaked = logs.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"a secret ({secret[..6]}…) is in this log line: {leaked}");
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
        }
        // The request line ("Request starting HTTP/1.1 POST http://…/api/calls?code=…") is what would carry the key.
        Assert.DoesNotContain(app.Logs.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)
                                                   && l.Level < Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal));
    }

    private static string AccountKey(string connectionString)
    {
        var key = connectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];
        Assert.True(key.Length > 20);
        return key;
    }
}
