using System.Net;
using System.Net.Http.Headers;
using CallFunctions.Notifications;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallFunctions.Tests.Webhook;

public sealed class MutationTests(CorpusApp fixture) : IClassFixture<CorpusApp>
{
    [Property(MaxTest = 3000)]
    public Property TheParserNeverThrowsOnAMutatedSampleAndAccountsForEveryItemInOrder() =>
        Prop.ForAll(Mutations.Arbitrary, mutation => NotificationParser.Parse(Mutations.Apply(mutation)) switch
        {
            Envelope.Legacy => true,
            Envelope.Invalid invalid => invalid.Detail.Length > 0,
            Envelope.Batch batch => batch.Items.Select((item, i) => item.Index == i && item switch
            {
                Item.Call call => call.Event.CallId.Length > 0,
                // Quoted into a log line and a problem body: no control character may forge another line.
                Item.Bad bad => bad.Error.Length > 0 && !bad.Error.Any(char.IsControl),
                Item.Ignored => true,
                _ => false,
            }).All(ok => ok),
            _ => false,
        });

    [Fact]
    public async Task AMutatedSampleNeverGetsA5xxNorHangsTheHandler()
    {
        var app = fixture.App;
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var property = Prop.ForAll(Mutations.Arbitrary, async mutation =>
        {
            var content = new ByteArrayContent(Mutations.Apply(mutation));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var response = await app.Client.PostAsync(mutation.Sample % 2 == 0 ? "/api/calls" : "/api/calls/outcomes", content, timeout.Token);
            statuses.Add((int)response.StatusCode);
            return (int)response.StatusCode < 500;
        });

        // Off the test's synchronization context: FsCheck waits on each request.
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(250), property));

        Assert.Contains(statuses, s => s == 202);
        Assert.Contains(statuses, s => s == 400);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        var healthy = await app.NotifyAsync(Notify.Batch());
        Assert.Equal(HttpStatusCode.Accepted, healthy.StatusCode);
    }
}
