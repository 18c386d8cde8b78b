using System.Collections.Frozen;
using Azure.Data.Tables;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Operators.WhatIf;
using CallFunctions.Platform;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using Microsoft.Extensions.Options;

namespace CallFunctions.Operators.DashboardPage;

/// <summary>
/// <c>GET /api/dashboard</c>, function <c>Dashboard</c> (function key, <c>?code=</c> as the portal's "Get function URL"
/// gives it). One function serves the page, its script and style (<c>?asset=</c>), its data (<c>?view=data</c>) and its
/// what-if (<c>POST ?view=whatif</c>): a function key opens one function only, so the key in the page's URL opens all.
/// </summary>
public sealed class DashboardApi(
    WhatIfApi whatIf,
    OutcomeQueries queries,
    RuleCache rules,
    [FromKeyedServices(StorageSetup.RulesTable)] TableClient rulesTable,
    IOptions<RulesOptions> rulesOptions,
    TimeProvider clock,
    ILogger<DashboardApi> logger)
{
    public const string Route = "/api/dashboard";

    /// <summary>
    /// Nothing but this origin: the page loads its own script and style, draws its chart in inline SVG and calls its own
    /// function. No inline script or style, so a page showing callers' names cannot be made to run theirs.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> Assets = new Dictionary<string, string>
    {
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    /// <summary>The one entry point of the function: dispatches on <c>?asset=</c> and <c>?view=</c>.</summary>
    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken ct)
    {
        Secure(request.HttpContext.Response);
        var view = request.Query["view"].ToString();
        if (HttpMethods.IsPost(request.Method))
            return view == "whatif" ? whatIf.HandleAsync(request, ct) : Task.FromResult(NotFound($"POST {Route} takes ?view=whatif."));
        if (request.Query.ContainsKey("asset")) return Task.FromResult(Asset(request));
        return view switch
        {
            "data" => DataAsync(request, ct),
            "" or "page" => Task.FromResult(Page(request)),
            _ => Task.FromResult(NotFound($"?view= is data or page, not \"{view}\".")),
        };
    }

    /// <summary>The HTML page. Its script and style come from this function too, with the page's own key.</summary>
    public static IResult Page(HttpRequest request)
    {
        var code = request.Query["code"].ToString();
        // EscapeDataString leaves letters, digits and -._~ only: safe inside an HTML attribute.
        var key = code.Length == 0 ? "" : "&amp;code=" + Uri.EscapeDataString(code);
        var html = Read("dashboard.html").Replace("{{key}}", key, StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary><c>?asset=app.js</c> or <c>?asset=app.css</c>, from the app's embedded resources.</summary>
    public static IResult Asset(HttpRequest request)
    {
        var name = request.Query["asset"].ToString();
        return Assets.TryGetValue(name, out var type) ? Results.Content(Read(name), type) : NotFound($"No asset \"{name}\": app.js or app.css.");
    }

    /// <summary><c>?view=data[&amp;from=&amp;to=]</c>: the page's model for the period (default: the last 24 hours).</summary>
    public async Task<IResult> DataAsync(HttpRequest request, CancellationToken ct)
    {
        if (!queries.TryParsePeriod(request.Query["from"], request.Query["to"], out var from, out var to, out var errors))
            return OutcomeQueries.InvalidPeriod(errors);
        try
        {
            // The records and the rules table are read at once: the page waits for one round trip, not two.
            var calls = queries.CallsAsync(from, to, ct);
            var readAt = clock.GetUtcNow();
            var rows = await RuleTableReader.ReadAsync(rulesTable, ct);
            var ruleView = DashboardData.RulesOf(rulesOptions.Value.Table, rows, readAt, rules.LoadedAt);
            return TypedResults.Ok(DashboardData.Build(await calls, from, to, ruleView));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.DataUnreadable(logger, e);
            return StorageFailure.Answer(request.HttpContext.Response);
        }
    }

    /// <summary>The key travels in the page's URL: it must not leave in a Referer, and nothing may frame or sniff the page.</summary>
    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }

    private static IResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);

    private static string Read(string name)
    {
        using var stream = typeof(DashboardApi).Assembly.GetManifestResourceStream("CallFunctions.Dashboard." + name)
                           ?? throw new InvalidOperationException($"The resource {name} is not embedded in the app.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
