using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Operators.DashboardPage;

/// <summary>
/// The dashboard in a real browser (headless Chromium), served by the app inside the Functions host with the key the
/// portal's "Get function URL" gives: what it shows for recorded calls, its what-if, and a console free of errors.
/// </summary>
public sealed class DashboardBrowserTests
{
    /// <summary>Where screenshots go: ./test.sh's results folder, or artifacts/test-results.</summary>
    private static string ResultsDirectory =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("CALLFUNCTIONS_TEST_RESULTS") ?? Repo.Path("artifacts", "test-results")).FullName;

    /// <summary>US callers refused as busy, nothing else: the premium, Paris and Seattle callers would now be allowed.</summary>
    private const string NewRules = """
        [
          {"PartitionKey":"default","RowKey":"block-us","Priority":10,"Action":"Reject","Reason":"Busy","Caller":"+1425*"}
        ]
        """;

    [Fact]
    public async Task ThePageShowsTheRecordedCallsAndAWhatIfWithNoConsoleErrors()
    {
        await using var app = await TestApp.StartAsync([
            Rows.Rule("block-premium", 10, "Reject", caller: "+1900*"),
            Rows.Rule("drop-paris", 20, "HangUp", caller: "+33*"),
            Rows.Rule("seattle-to-reception", 30, "Redirect", caller: "+1206*").With("Target", "+1 425-555-0100, user:73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"),
        ], ownHost: true); // its own tables: the page must show these four calls only
        var rejected = Notify.NewCallId();
        var hungUp = Notify.NewCallId();
        var allowed = Notify.NewCallId();
        var redirected = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(rejected, Notify.Phone("+19005550100")));
        await app.NotifyAsync(Notify.Incoming(redirected, Notify.Phone("+12065550100")));
        await app.NotifyAsync(Notify.Incoming(hungUp, Notify.Phone("+33155550100")));
        await app.NotifyAsync(Notify.Sample("established.json", hungUp));
        await app.NotifyAsync(Notify.Incoming(allowed, Notify.Phone("+14255550123")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(rejected)));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(hungUp, 0, 7000)));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(allowed, 200, 5001)));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(redirected)));
        foreach (var call in new[] { rejected, hungUp, allowed, redirected }) await app.WaitForRecordAsync(call, r => r.ContainsKey("TerminatedAt"));

        await using var browser = await Chromium.StartAsync();
        await browser.NavigateAsync(new Uri(app.Client.BaseAddress!, $"/api/dashboard?code={FunctionsHost.FunctionKey}"));
        await browser.WaitUntilAsync("return document.querySelectorAll('#records tbody tr').length === 4;");

        // The counts, as numbers the page wrote into its own elements.
        var counts = await browser.ExecuteAsync("""
            const n = (id) => Number(document.getElementById(id).textContent);
            return [n('count-calls'), n('count-rejected'), n('count-redirected'), n('count-hungup'), n('count-allowed'), n('count-ended')];
            """);
        Assert.Equal("[4,1,1,1,1,4]", counts!.ToJsonString());
        // The decision chart: one bar segment per series, each of one call.
        var chart = await browser.ExecuteAsync("""
            const sums = {};
            for (const rect of document.querySelectorAll('#chart-decisions svg rect')) {
              sums[rect.dataset.series] = (sums[rect.dataset.series] || 0) + Number(rect.dataset.count);
            }
            return sums;
            """);
        Assert.Equal(1, chart!["rejected"]!.GetValue<int>());
        Assert.Equal(1, chart["redirected"]!.GetValue<int>());
        Assert.Equal(1, chart["hungUp"]!.GetValue<int>());
        Assert.Equal(1, chart["allowed"]!.GetValue<int>());
        // Each series in its declared color (Calls/Actions), and each ending's code in a color of its own: none drawn black.
        var fills = await browser.ExecuteAsync("""
            const fill = (r) => getComputedStyle(r).fill;
            return {
              rejected: [...document.querySelectorAll('#chart-decisions svg rect[data-series=rejected]')].map(fill),
              endings: [...document.querySelectorAll('#chart-endings svg rect')].map(fill),
            };
            """);
        Assert.Equal("""["rgb(198, 40, 40)"]""", fills!["rejected"]!.ToJsonString());
        Assert.DoesNotContain(fills["endings"]!.AsArray(), f => f!.GetValue<string>() is "rgb(0, 0, 0)" or "none" or "");
        var endings = await browser.ExecuteAsync("""
            return [...document.querySelectorAll('#chart-endings svg rect')].reduce((sum, r) => sum + Number(r.dataset.count), 0);
            """);
        Assert.Equal(4, endings!.GetValue<int>());
        // The records table: each call with what happened to it and the rule that decided.
        var rows = await browser.ExecuteAsync("""
            return Object.fromEntries([...document.querySelectorAll('#records tbody tr')].map((tr) =>
              [tr.dataset.callId, tr.dataset.action + '|' + tr.querySelector('[data-col=rule]').textContent + '|'
                + tr.querySelector('[data-col=caller]').textContent + '|' + tr.querySelector('[data-col=code]').textContent]));
            """);
        Assert.Equal("Reject|block-premium|phone:+19005550100|", Without(rows![rejected]!.GetValue<string>(), 3));
        Assert.Equal("HangUp|drop-paris|phone:+33155550100|", Without(rows[hungUp]!.GetValue<string>(), 3));
        Assert.Equal("Allow|(default)|phone:+14255550123|200/5001", rows[allowed]!.GetValue<string>());
        Assert.Equal("Redirect|seattle-to-reception|phone:+12065550100|", Without(rows[redirected]!.GetValue<string>(), 3));
        // A redirected call's row: the action and where it went, as the page shows them.
        var redirect = await browser.ExecuteAsync("""
            const tr = document.querySelector(`#records tbody tr[data-call-id="${arguments[0]}"]`);
            return tr.querySelector('[data-col=action]').textContent + '|' + tr.querySelector('[data-col=target]').textContent;
            """, JsonValue.Create(redirected));
        Assert.Equal("Redirect|phone:+14255550100, user:73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50", redirect!.GetValue<string>());
        var rules = await browser.ExecuteAsync("""
            return [...document.querySelectorAll('#rules tbody tr')].map((tr) => tr.dataset.rule + ':' + tr.dataset.status).sort();
            """);
        Assert.Equal("""["block-premium:ok","drop-paris:ok","seattle-to-reception:ok"]""", rules!.ToJsonString());

        // What-if: the rules file in the text area, submitted with the page's own button.
        await browser.ExecuteAsync("document.getElementById('whatif-file').value = arguments[0];", JsonValue.Create(NewRules));
        await browser.ClickAsync("#whatif-run");
        await browser.WaitUntilAsync("return document.getElementById('whatif-summary').dataset.changed !== undefined;");
        var whatIf = await browser.ExecuteAsync("""
            return {
              changed: document.getElementById('whatif-summary').dataset.changed,
              rows: Object.fromEntries([...document.querySelectorAll('#whatif-result tbody tr[data-kind=changed]')].map((tr) =>
                [tr.dataset.callId, [...tr.cells].slice(3).map((td) => td.textContent).join(' -> ')])),
              shown: !document.getElementById('whatif-result').hidden,
            };
            """);
        Assert.Equal("4", whatIf!["changed"]!.GetValue<string>());
        Assert.True(whatIf["shown"]!.GetValue<bool>());
        Assert.Equal("Allow by (default) -> Reject Busy by block-us", whatIf["rows"]![allowed]!.GetValue<string>());
        Assert.Equal("Reject None by block-premium -> Allow by (default)", whatIf["rows"]![rejected]!.GetValue<string>());
        Assert.Equal("HangUp by drop-paris -> Allow by (default)", whatIf["rows"]![hungUp]!.GetValue<string>());
        Assert.Equal("Redirect to phone:+14255550100, user:73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50 by seattle-to-reception -> Allow by (default)",
            whatIf["rows"]![redirected]!.GetValue<string>());
        Assert.True((await browser.ExecuteAsync("return document.getElementById('error').hidden;"))!.GetValue<bool>());

        var screenshot = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(ResultsDirectory, "dashboard.png"), screenshot);
        Assert.Equal("PNG"u8.ToArray(), screenshot[1..4]);

        // Nothing in the console: no script error, no failed request, no Content-Security-Policy violation.
        var console = await browser.ConsoleAsync();
        Assert.DoesNotContain(console, e => e.Level is "SEVERE" or "WARNING");
        Assert.DoesNotContain(console, e => e.Message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Drops the last <paramref name="fields"/>-th field (a code the test does not pin) from a "|"-joined row.</summary>
    private static string Without(string row, int fields) => string.Join('|', row.Split('|').Take(fields)) + "|";

    [Fact]
    public async Task TheHostRefusesThePageWithoutTheKeyAndWhatIfRefusesABadRulesFile()
    {
        await using var app = await TestApp.StartAsync();

        var withoutKey = await app.Anonymous.GetAsync("/api/dashboard");
        var whatIfWithoutKey = await app.Anonymous.PostAsync("/api/rules/whatif", new StringContent(NewRules, Encoding.UTF8, "application/json"));
        var badBody = await app.Client.PostAsync("/api/rules/whatif", new StringContent("{not a rules file", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, whatIfWithoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Equal("application/problem+json", badBody.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await badBody.Content.ReadAsStringAsync())!;
        Assert.Equal("Invalid rules file", problem["title"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotEmpty(problem["errors"]!.AsArray());
    }
}
