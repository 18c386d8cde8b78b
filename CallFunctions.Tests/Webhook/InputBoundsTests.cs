using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Webhook;

public sealed class InputBoundsTests
{
    private const string EnvelopeType = "#microsoft.graph.commsNotifications";

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/merge-patch+json")]
    [InlineData(null)]
    public async Task RefusesABodyThatIsNotDeclaredAsUtf8Json(string? contentType)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123"))));
        if (contentType is not null) body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var problem = await ProblemAsync(await app.Client.PostAsync("/api/calls", body), HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("Unsupported media type", problem["title"]!.GetValue<string>());
        Assert.Contains(contentType is null ? "no Content-Type" : "application/json", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.Graph.Requests);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    public async Task AcceptsJsonWithOrWithoutAUtf8Charset(string contentType)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostAsync("/api/calls", $$"""{"@odata.type":"{{EnvelopeType}}","value":[]}""", contentType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task RefusesABodyOverOneMebibyteWhetherDeclaredOrStreamed()
    {
        await using var app = await TestApp.StartAsync();
        var big = $$"""{"@odata.type":"{{EnvelopeType}}","value":[],"pad":"{{new string('x', 1024 * 1024)}}"}""";
        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        streamed.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;

        await ProblemAsync(await app.NotifyAsync(big), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAsync(await app.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task RefusesJsonNestedDeeperThan32Levels()
    {
        await using var app = await TestApp.StartAsync();
        var deep = new string('[', 40) + new string(']', 40);
        var body = """{"value":[{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":{"x":""" + deep + "}}]}";

        var problem = await ProblemAsync(await app.NotifyAsync(body), HttpStatusCode.BadRequest);

        Assert.Contains("depth of 32", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptsAtMostOneHundredNotificationsInOneRequest()
    {
        await using var app = await TestApp.StartAsync();
        JsonObject Roster() => Notify.Item("updated", Notify.NewCallId(), new JsonArray(), "/participants");

        var hundred = await app.NotifyAsync(Notify.Batch([.. Enumerable.Range(0, 100).Select(_ => Roster())]));
        var tooMany = await app.NotifyAsync(Notify.Batch([.. Enumerable.Range(0, 101).Select(_ => Roster())]));

        Assert.Equal(HttpStatusCode.Accepted, hundred.StatusCode);
        var problem = await ProblemAsync(tooMany, HttpStatusCode.BadRequest);
        Assert.Equal("\"value\" holds 101 notifications; at most 100 are accepted in one request.", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"@odata.type":"#microsoft.graph.commsNotifications","value":[],"value":[]}""", "Duplicate")]
    [InlineData("""{"@odata.type":"#microsoft.graph.commsNotifications","value":[],"Value":[{"changeType":"created","resourceUrl":"/communications/calls/abc"}]}""", "value appears more than once.")]
    [InlineData("""{"value":[{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":{"state":"incoming","State":"terminated"}}]}""", "value[0].resourceData.state appears more than once.")]
    [InlineData("""{"value":[{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":{"state":"\ud800"}}]}""", "value[0].resourceData.state is not valid Unicode text.")]
    [InlineData("""{"value":[{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":{"\udc00":1}}]}""", "The request body holds a string that is not valid Unicode text.")]
    [InlineData("""{"\ud800":1,"value":[]}""", "The request body holds a string that is not valid Unicode text.")]
    public async Task RefusesDuplicatedNamesAndBrokenUnicode(string body, string detail)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);

        var problem = await ProblemAsync(await app.NotifyAsync(body), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.Graph.Requests);
    }

    [Fact]
    public async Task RefusesAStringLongerThanAnyGraphSends()
    {
        await using var app = await TestApp.StartAsync();
        var callId = Notify.NewCallId();

        var response = await app.PostAsync("/api/calls/outcomes",
            Notify.Batch(Notify.TerminatedItem(callId, 0, 5002, new string('m', 1025))));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("value[0].resourceData.resultInfo.message is longer than 1024 characters.", problem["detail"]!.GetValue<string>());
        Assert.Null(await app.RecordAsync(callId));
    }

    [Fact]
    public async Task ACallWithManyLongIdentitiesIsStillRecorded()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);
        var callId = Notify.NewCallId();
        var item = Notify.IncomingItem(callId, Notify.Phone("+14255550123"));
        var targets = new JsonArray();
        for (var i = 0; i < 16; i++)
        {
            var identity = Notify.Identity("user", $"{i:D2}" + new string('u', 1000));
            foreach (var kind in new[] { "guest", "application", "applicationInstance", "acsUser", "spoolUser" })
                identity[kind] = new JsonObject { ["id"] = new string('g', 1024) };
            targets.Add(new JsonObject { ["identity"] = identity });
        }
        item["resourceData"]!["targets"] = targets;

        var response = await app.NotifyAsync(Notify.Batch(item));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var callee = (await app.RecordAsync(callId))!.GetString("Callee");
        Assert.Equal(16 * 1024 + 1, callee.Length);
        Assert.EndsWith("…", callee, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyTricklingBelowTheHostsMinimumRateIsCutOffByTheHostBeforeTheAppActs()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject")]);

        // 2 bytes/s, below the 240 bytes/s the host's Kestrel demands after 5 s of grace. The host drops the request
        // and answers 500 with an empty body (its forwarding to the worker failed): the host's answer, not the app's.
        // A client never cut off would get no answer before the test gives up after a minute.
        var answer = await TrickleAsync(app, chunk: 1, every: TimeSpan.FromMilliseconds(500));

        Assert.StartsWith("HTTP/1.1 500 ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0", answer, StringComparison.Ordinal);
        Assert.Empty(app.Graph.Requests);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Notify.Batch())).StatusCode);
    }

    /// <summary>
    /// Sends a request whose 100 kB body arrives a little at a time, until the handler answers or a minute has gone;
    /// returns the answer as it came on the wire.
    /// </summary>
    private static async Task<string> TrickleAsync(TestApp app, int chunk, TimeSpan every)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.Client.BaseAddress!.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                   $"Authorization: Bearer {app.Identity.Token()}\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var reading = ReadAnswerAsync(stream, giveUp.Token);
        var payload = Encoding.ASCII.GetBytes(new string(' ', chunk));
        while (!reading.IsCompleted && !giveUp.IsCancellationRequested)
        {
            try
            {
                await stream.WriteAsync(payload);
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(reading, Task.Delay(every));
        }
        return await reading;
    }

    /// <summary>Reads one HTTP/1.1 answer: its head, then its body by Content-Length or to the last chunk, or to the end.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!IsComplete(text.ToString()))
            {
                var read = await stream.ReadAsync(buffer, ct);
                if (read == 0) break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The connection closed or the client gave up: what came so far is the answer.
        }
        return text.ToString();
    }

    private static bool IsComplete(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var head = answer[..end];
        var length = head.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (length is not null) return Encoding.UTF8.GetByteCount(answer[(end + 4)..]) >= int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return !head.Contains("chunked", StringComparison.OrdinalIgnoreCase) || answer.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }
}
