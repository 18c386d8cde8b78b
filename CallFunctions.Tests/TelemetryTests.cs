using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace CallFunctions.Tests;

public sealed class TelemetryTests
{
    private static readonly Azure.Data.Tables.TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*");

    [Fact]
    public async Task MetricsCountDecisionsGraphRequestsRecordsAndTheRuleCacheAge()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == "CallFunctions") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();

        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));
        listener.RecordObservableInstruments();

        Assert.Contains(measurements, m => m.Instrument == "callfunctions.decisions" && m.Value == 1
                                           && Equals(m.Tags["action"], "Reject") && Equals(m.Tags["rule"], "block"));
        Assert.Contains(measurements, m => m.Instrument == "callfunctions.graph.duration" && m.Value > 0
                                           && Equals(m.Tags["action"], "reject") && Equals(m.Tags["status"], 202));
        Assert.Contains(measurements, m => m.Instrument == "callfunctions.records.written" && Equals(m.Tags["kind"], "decision"));
        Assert.Contains(measurements, m => m.Instrument == "callfunctions.records.written" && Equals(m.Tags["kind"], "termination"));
        Assert.Contains(measurements, m => m.Instrument == "callfunctions.rules.cache_age" && m.Value >= 0);
    }

    [Fact]
    public async Task EachNotificationIsASpanAndItsLogsCarryTheCallIdAndChainId()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        var callId = Notify.NewCallId();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "CallFunctions",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("call.id"), callId)) spans.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls")
        {
            Content = new StringContent(Notify.Incoming(callId, Notify.Phone("+14255550123")), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Microsoft-Skype-Chain-ID", "chain-7d2a");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var span = Assert.Single(spans);
        Assert.Equal("notification", span.OperationName);
        Assert.Equal("rejected", span.GetTagItem("call.outcome"));
        Assert.Equal("block", span.GetTagItem("call.rule"));
        Assert.Equal("chain-7d2a", span.GetTagItem("call.chain_id"));
        var decided = Assert.Single(app.Logs.Lines, l => l.EventId == 2101);
        Assert.Equal(callId, decided.Scope["CallId"]);
        Assert.Equal("chain-7d2a", decided.Scope["ChainId"]);
        var graph = Assert.Single(app.Logs.Lines, l => l.EventId == 2001);
        Assert.Equal(callId, graph.Scope["CallId"]);
    }

    [Fact]
    public async Task NothingIsExportedWithoutAnApplicationInsightsConnectionString()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task TelemetryGoesToApplicationInsightsWhenItsConnectionStringIsSet()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] =
                $"InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint={ingestion.Url};LiveEndpoint={ingestion.Url}",
        });
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        bool Arrived(string name) => ingestion.Bodies.Any(b => b.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal)
                                                              && b.Contains(callId, StringComparison.Ordinal));
        var until = DateTime.UtcNow.AddSeconds(40);
        while (!(Arrived("Message") && Arrived("RemoteDependency")) && DateTime.UtcNow < until) await Task.Delay(200);
        var sent = ingestion.Bodies.FirstOrDefault(b => b.Contains(callId, StringComparison.Ordinal));
        Assert.True(sent is not null, $"no telemetry mentioning the call reached the ingestion endpoint ({ingestion.Bodies.Count} posts): "
            + string.Join("\n---\n", ingestion.Bodies.Select(b => b.Length > 600 ? b[..600] : b)));
        Assert.True(Arrived("Message"), "the logs, with the call id from their scope, were exported: "
            + string.Join("\n", ingestion.Bodies.SelectMany(b => b.Split('\n')).Select(l => (l.Length > 300 ? l[..300] : l) + (l.Contains(callId, StringComparison.Ordinal) ? " [CALL]" : ""))));
        Assert.True(Arrived("RemoteDependency"), "the notification span, tagged with the call id, was exported");
    }

    [Fact]
    public async Task TheHealthRouteAnswersFromMemoryWhileStorageIsDown()
    {
        var loaded = DateTimeOffset.Parse("2027-01-13T12:00:00Z", CultureInfo.InvariantCulture);
        var clock = new SettableClock(loaded) { Frozen = true };
        await using var storage = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync([BlockRule], clock: clock, storage: storage);
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));

        storage.Stop();
        clock.Set(loaded.AddSeconds(90));
        var held = await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));
        var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal("2027-01-13T12:00:00+00:00", health["rulesLoadedAt"]!.GetValue<string>());
        Assert.Equal(90, health["rulesAgeSeconds"]!.GetValue<double>());
        Assert.Equal(1, health["rules"]!.GetValue<int>());
        Assert.True(health["recordsWaitingForStorage"]!.GetValue<bool>(), "the termination is held on disk until storage returns");
        Assert.NotNull(health["inFlight"]);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags) result[key] = value;
        return result;
    }

    /// <summary>Application Insights' ingestion endpoint on loopback: keeps the bodies of the track requests.</summary>
    private sealed class IngestionStandIn : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _bodies = new();
        private LoopbackServer? _server;

        public string Url { get; private set; } = "";

        public IReadOnlyList<string> Bodies => [.. _bodies];

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
