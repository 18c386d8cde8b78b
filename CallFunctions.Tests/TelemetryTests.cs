using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using CallFunctions.Platform;
using OpenTelemetry.Trace;

namespace CallFunctions.Tests;

public sealed class TelemetryTests
{
    private static readonly Azure.Data.Tables.TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*");
    private static readonly Azure.Data.Tables.TableEntity ScreenRule = Rows.Rule("screen", 2, "Challenge", caller: "+1206*").With("Target", "+14255550100");

    /// <summary>The app in the host with Application Insights pointed at a loopback ingestion endpoint.</summary>
    private static async Task<TestApp> StartExportingAsync(IngestionStandIn ingestion) =>
        await TestApp.StartAsync([BlockRule, ScreenRule], new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] =
                $"InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint={ingestion.Url};LiveEndpoint={ingestion.Url}",
            // Metrics are exported once a second here, not once a minute.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });

    [Fact]
    public async Task MetricsCountDecisionsGraphRequestsRecordsChallengesAndTheRuleCacheAge()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        await using var app = await StartExportingAsync(ingestion);

        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));
        // A challenge answered, then failed by another key than the rule's.
        var challenged = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(challenged, Notify.Phone("+12065550123")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(challenged, "established")));
        await app.NotifyAsync(Notify.Batch(Notify.ToneItem(challenged, "tone9", 1)));
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));

        bool Metric(string name, Func<JsonNode, bool> holds) => ingestion.Items("Metric").Any(m =>
            m["data"]!["baseData"]!["metrics"]!.AsArray().Any(x => x!["name"]!.GetValue<string>() == name) && holds(m["data"]!["baseData"]!));
        static string? Property(JsonNode data, string name) => data["properties"]?[name]?.ToString();
        // The Azure Monitor exporter may keep its own 60 s metric interval whatever OTEL_METRIC_EXPORT_INTERVAL says.
        await ingestion.WaitUntilAsync(() => Metric("callfunctions.records.written", d => Property(d, "kind") == "termination"), seconds: 100);
        Assert.True(Metric("callfunctions.decisions", d => Property(d, "action") == "Reject" && Property(d, "rule") == "block"));
        Assert.True(Metric("callfunctions.graph.duration", d => Property(d, "action") == "reject" && Property(d, "status") == "202"));
        Assert.True(Metric("callfunctions.records.written", d => Property(d, "kind") == "decision"));
        Assert.True(Metric("callfunctions.rules.cache_age", _ => true));
        Assert.True(Metric("callfunctions.challenges", d => Property(d, "result") == "started" && Property(d, "rule") == "screen"));
        Assert.True(Metric("callfunctions.challenges", d => Property(d, "result") == "failed" && Property(d, "rule") == "screen"));
        Assert.True(Metric("callfunctions.graph.duration", d => Property(d, "action") == "answer" && Property(d, "status") == "202"));
    }

    [Fact]
    public async Task EachNotificationIsASpanInTheHostsTraceAndItsLogsCarryTheCallIdAndChainId()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        await using var app = await StartExportingAsync(ingestion);
        var callId = Notify.NewCallId();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls")
        {
            Content = new StringContent(Notify.Incoming(callId, Notify.Phone("+14255550123")), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Microsoft-Skype-Chain-ID", "chain-7d2a");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonNode? Span() => ingestion.Items("RemoteDependency").FirstOrDefault(d =>
            d["data"]!["baseData"]!["name"]?.GetValue<string>() == "notification"
            && d["data"]!["baseData"]!["properties"]?["call.id"]?.GetValue<string>() == callId);
        var operation = "";
        // The host's request span for POST /api/calls, in the same trace as the worker's notification span.
        bool HostRequest() => ingestion.Items("Request").Any(r => r["tags"]?["ai.operation.id"]?.GetValue<string>() == operation);
        await ingestion.WaitUntilAsync(() => Span() is not null);
        var span = Span()!;
        var properties = span["data"]!["baseData"]!["properties"]!;
        Assert.Equal("rejected", properties["call.outcome"]!.GetValue<string>());
        Assert.Equal("block", properties["call.rule"]!.GetValue<string>());
        Assert.Equal("chain-7d2a", properties["call.chain_id"]!.GetValue<string>());
        operation = span["tags"]!["ai.operation.id"]!.GetValue<string>();
        await ingestion.WaitUntilAsync(HostRequest);
        var decided = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 2101));
        Assert.Equal(callId, decided.Scope["CallId"]);
        Assert.Equal("chain-7d2a", decided.Scope["ChainId"]);
        // One line for the decision: Graph's 202 is in the record, and its own line is at Debug.
        Assert.DoesNotContain(app.Logs.Lines, l => l.EventId == 2001);
    }

    [Fact]
    public void NoExporterIsRegisteredWithoutAnApplicationInsightsConnectionString()
    {
        var services = new ServiceCollection();
        services.AddTelemetry(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<TracerProvider>());
    }

    [Fact]
    public async Task TelemetryGoesToApplicationInsightsWhenItsConnectionStringIsSet()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        await using var app = await StartExportingAsync(ingestion);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        bool Arrived(string name) => ingestion.Bodies.Any(b => b.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal)
                                                              && b.Contains(callId, StringComparison.Ordinal));
        await ingestion.WaitUntilAsync(() => Arrived("Message") && Arrived("RemoteDependency"));
        var sent = ingestion.Bodies.FirstOrDefault(b => b.Contains(callId, StringComparison.Ordinal));
        Assert.True(sent is not null, $"no telemetry mentioning the call reached the ingestion endpoint ({ingestion.Bodies.Count} posts)");
        Assert.True(Arrived("Message"), "the logs, with the call id from their scope, were exported");
        Assert.True(Arrived("RemoteDependency"), "the notification span, tagged with the call id, was exported");
    }

    [Fact]
    public async Task TheHealthRouteAnswersFromMemoryWhileStorageIsDown()
    {
        var loaded = DateTimeOffset.Parse("2027-01-13T12:00:00Z", CultureInfo.InvariantCulture);
        await using var storage = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync([BlockRule], now: loaded, storage: storage);
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));

        storage.Stop();
        var held = await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));
        var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        // By the app's clock, which started at noon with its host: the rules were read then, from the table.
        Assert.InRange(health["rulesLoadedAt"]!.GetValue<DateTimeOffset>(), loaded, loaded.AddMinutes(5));
        Assert.InRange(health["rulesAgeSeconds"]!.GetValue<double>(), 0, 300);
        Assert.Equal(1, health["rules"]!.GetValue<int>());
        Assert.True(health["recordsWaitingForStorage"]!.GetValue<bool>(), "the termination is held on disk until storage returns");
        Assert.NotNull(health["inFlight"]);
    }

    /// <summary>Application Insights' ingestion endpoint on loopback: keeps the bodies of the track requests.</summary>
    private sealed class IngestionStandIn : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _bodies = new();
        private LoopbackServer? _server;

        public string Url { get; private set; } = "";

        public IReadOnlyList<string> Bodies => [.. _bodies];

        /// <summary>The envelopes of one kind (Request, RemoteDependency, Message, Metric) received so far.</summary>
        public IEnumerable<JsonNode> Items(string name) => Bodies
            .SelectMany(b => b.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => { try { return JsonNode.Parse(line); } catch (System.Text.Json.JsonException) { return null; } })
            .Where(item => item?["name"]?.GetValue<string>() == name)
            .Select(item => item!);

        /// <summary>Exporters send in batches: waits (40 s unless told) for what a test expects to have arrived.</summary>
        public async Task WaitUntilAsync(Func<bool> arrived, int seconds = 40)
        {
            for (var i = 0; i < seconds * 10 && !arrived(); i++) await Task.Delay(100);
            Assert.True(arrived(), "expected telemetry did not arrive; received:\n"
                + string.Join("\n", Bodies.SelectMany(b => b.Split('\n')).Select(l => l.Length > 400 ? l[..400] : l)));
        }

        public static async Task<IngestionStandIn> StartAsync()
        {
            var standIn = new IngestionStandIn();
            standIn._server = await LoopbackServer.StartAsync(async http =>
            {
                Stream body = http.Request.Body;
                if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
                    body = new GZipStream(body, CompressionMode.Decompress);
                using var reader = new StreamReader(body);
                standIn._bodies.Enqueue(await reader.ReadToEndAsync());
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("""{"itemsReceived":1,"itemsAccepted":1,"errors":[]}""");
            });
            standIn.Url = standIn._server.Address + "/";
            return standIn;
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }
}
