using System.Text;
using System.Text.Json.Nodes;
using CallFunctions.Notifications;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Notifications;

public sealed class CallRoutesParsingTests
{
    [Fact]
    public void ReadsTheCallRoutesOfAForwardedCall()
    {
        var item = Notify.IncomingItem("c1", Notify.Phone("+14255550123"), Notify.User("b1f2c3d4-0000-4000-8000-000000000001"));
        item["resourceData"]!["callRoutes"] = new JsonArray(Notify.Route("Forwarded", Notify.Phone("+18005550000"), Notify.User("b1f2c3d4-0000-4000-8000-000000000001")));

        var call = Parse(Notify.Batch(item));

        var route = Assert.Single(call.Routes!);
        Assert.True(route.IsForwarded);
        Assert.Equal("phone:+18005550000", route.Original.ToString());
        Assert.Equal("user:b1f2c3d4-0000-4000-8000-000000000001", route.Final.ToString());
        Assert.Equal(route.ToString(), Assert.Single(CallRoute.ParseList(CallRoute.Format(call.Routes!))).ToString());
    }

    [Fact]
    public void ANotificationWithoutCallRoutesHasNone()
    {
        Assert.Null(Parse(Notify.Incoming("c1", Notify.Phone("+14255550123"))).Routes);
    }

    [Theory]
    [InlineData("""{"callRoutes":{}}""", "value[0].resourceData.callRoutes must be an array, not an object.")]
    [InlineData("""{"callRoutes":[5]}""", "value[0].resourceData.callRoutes[0] must be an object, not the number 5.")]
    [InlineData("""{"callRoutes":[{"original":"+1"}]}""", "value[0].resourceData.callRoutes[0].original must be an object, not a string.")]
    public void AMalformedCallRouteIsReportedWithItsPath(string data, string error)
    {
        var body = Notify.Batch(Notify.Item("created", "c1", JsonNode.Parse(data)!));

        var batch = Assert.IsType<Envelope.Batch>(NotificationParser.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(error, Assert.IsType<Item.Bad>(Assert.Single(batch.Items)).Error);
    }

    private static CallEvent Parse(string body)
    {
        var batch = Assert.IsType<Envelope.Batch>(NotificationParser.Parse(Encoding.UTF8.GetBytes(body)));
        return Assert.IsType<Item.Call>(Assert.Single(batch.Items)).Event;
    }
}
