using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Operators.DashboardPage;

/// <summary><c>GET /api/dashboard</c>: the page, its own script and style, and the data it draws.</summary>
public sealed class DashboardTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThePageLoadsItsScriptAndStyleFromItselfWithItsKeyUnderAStrictPolicy()
    {
        await using var app = await TestApp.StartAsync();

        // The host checks the x-functions-key header (Client sends it) before ?code=, so an odd ?code= reaches the page.
        var page = await app.Client.GetAsync("/api/dashboard?code=k3y%2Bwith%2Fodd%3Dchars");
        var script = await app.Anonymous.GetAsync($"/api/dashboard?asset=app.js&code={FunctionsHost.FunctionKey}");
        var style = await app.Client.GetAsync("/api/dashboard?asset=app.css");
        var missing = await app.Client.GetAsync("/api/dashboard?asset=../appsettings.json");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("""<script src="dashboard?asset=app.js&amp;code=k3y%2Bwith%2Fodd%3Dchars" defer></script>""", html, StringComparison.Ordinal);
        Assert.Contains("""<link rel="stylesheet" href="dashboard?asset=app.css&amp;code=k3y%2Bwith%2Fodd%3Dchars">""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("x-functions-key", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/css", style.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task TheDataCountsThePeriodsCallsByWhatHappenedAndListsThemNewestFirst()
    {
        // The host cannot be handed a clock object: each time is an instance of the app on the same tables, its clock
        // started then (the seconds its host takes to start stay within the hour).
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("block-premium", 10, "Reject", caller: "+1900*"), Rows.Rule("typo", 20, "Rejekt")], now: At("2026-03-10T09:10:00Z"));
        var rejected = Notify.NewCallId();
        var allowed = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(rejected, Notify.Phone("+19005550100")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(rejected)));
        await app.WaitForRecordAsync(rejected, r => r.ContainsKey("TerminatedAt"));
        await using (var later = await app.AnotherInstanceAsync(now: At("2026-03-10T11:20:00Z")))
        {
            await later.NotifyAsync(Notify.Incoming(allowed, Notify.Phone("+14255550123")));
            await later.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(allowed, 200, 5001)));
            await later.WaitForRecordAsync(allowed, r => r.ContainsKey("TerminatedAt"));
        }
        await using var noon = await app.AnotherInstanceAsync(now: At("2026-03-10T12:00:00Z"));

        var response = await noon.Client.GetAsync("/api/dashboard?view=data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("""{"calls":2,"rejected":1,"hungUp":0,"allowed":1,"ended":2,"redirected":0,"challenged":0}""", data["totals"]!.ToJsonString());
        Assert.Equal("hour", data["bucketSize"]!.GetValue<string>());
        var buckets = data["buckets"]!.AsArray();
        Assert.Equal(25, buckets.Count); // from 2026-03-09T12:00:00.xxx to 2026-03-10T12:00:00.xxx: parts of 25 hours
        var nine = buckets.Single(b => b!["start"]!.GetValue<DateTimeOffset>() == At("2026-03-10T09:00:00Z"))!;
        Assert.Equal("""{"none":1}""", nine["ended"]!.ToJsonString());
        Assert.Equal(1, nine["rejected"]!.GetValue<int>());
        Assert.Equal([allowed, rejected], data["calls"]!.AsArray().Select(c => c!["callId"]!.GetValue<string>()));
        Assert.Equal("The conversation has ended.", data["calls"]![0]!["meaning"]!.GetValue<string>());
        Assert.Equal(["block-premium ok", "typo error"],
            data["rules"]!["rows"]!.AsArray().Select(r => $"{r!["name"]} {r["status"]}"));
    }
}
