using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>Builds commsNotifications bodies shaped like what Graph sends (see samples/).</summary>
public static class Notify
{
    public const string Tenant = "632899f8-2ea1-4604-8413-27bd2892079f";
    public const string BotInstance = "7629bdce-046c-4903-86b4-a8f718277e1a";

    public static string NewCallId() => Guid.NewGuid().ToString();

    /// <summary>A file of samples/, with its call id replaced by <paramref name="callId"/> when given.</summary>
    public static string Sample(string file, string? callId = null)
    {
        var text = File.ReadAllText(Repo.Path("samples", file));
        if (callId is null) return text;
        var node = JsonNode.Parse(text)!;
        var url = node["value"]![0]!["resourceUrl"]!.GetValue<string>();
        var original = url[(url.LastIndexOf('/') + 1)..];
        return text.Replace(original, callId, StringComparison.Ordinal);
    }

    public static JsonObject Phone(string number) => Identity("phone", number);

    public static JsonObject User(string id, string tenant = Tenant) => Identity("user", id, tenant);

    public static JsonObject Guest(string id) => Identity("guest", id);

    public static JsonObject AppInstance(string id = BotInstance, string tenant = Tenant) => Identity("applicationInstance", id, tenant);

    public static JsonObject Application(string id) => Identity("application", id);

    public static JsonObject Identity(string kind, string id, string? tenant = null)
    {
        var identity = new JsonObject { ["@odata.type"] = "#microsoft.graph.identity", ["id"] = id };
        if (tenant is not null) identity["tenantId"] = tenant;
        return new JsonObject { ["@odata.type"] = "#microsoft.graph.identitySet", [kind] = identity };
    }

    /// <summary>One of a call's callRoutes, as Graph sends them for a forwarded call.</summary>
    public static JsonObject Route(string routingType, JsonObject original, JsonObject final) => new()
    {
        ["@odata.type"] = "#microsoft.graph.callRoute",
        ["routingType"] = routingType,
        ["original"] = original,
        ["final"] = final,
    };

    /// <summary>An identitySet with no identity in it, as Graph sends for a caller it cannot name.</summary>
    public static JsonObject NoIdentity() => new() { ["@odata.type"] = "#microsoft.graph.identitySet" };

    public static JsonObject Encrypted(string id = "Vk1YbmE1Q3U5ZUlGa1BuZz09") => Identity("encrypted", id);

    public static JsonObject IncomingItem(string callId, JsonObject source, JsonObject? target = null, string tenant = Tenant, bool group = false)
    {
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.call",
            ["state"] = "incoming",
            ["direction"] = "incoming",
            ["source"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.participantInfo", ["identity"] = source },
            ["targets"] = new JsonArray(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.invitationParticipantInfo",
                ["identity"] = target ?? AppInstance(),
            }),
            ["tenantId"] = tenant,
            ["callChainId"] = Guid.NewGuid().ToString(),
            ["id"] = callId,
        };
        if (group)
        {
            data["chatInfo"] = new JsonObject { ["threadId"] = "19:meeting_x@thread.v2", ["messageId"] = "0" };
            data["meetingInfo"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.organizerMeetingInfo" };
        }
        return Item("created", callId, data);
    }

    public static JsonObject UpdatedItem(string callId, string state) =>
        Item("updated", callId, new JsonObject { ["@odata.type"] = "#microsoft.graph.call", ["state"] = state });

    /// <summary>A key the caller pressed, as Graph reports it to a bot subscribed to tones (toneinfo.md).</summary>
    public static JsonObject ToneItem(string callId, string tone, int sequenceId) =>
        Item("updated", callId, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.call",
            ["state"] = "established",
            ["toneInfo"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.toneInfo", ["sequenceId"] = sequenceId, ["tone"] = tone },
        });

    /// <summary>A call back to established after a transfer that failed, as call-transfer.md shows it (with its <c>subCode</c>).</summary>
    public static JsonObject TransferFailedItem(string callId) =>
        Item("updated", callId, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.call",
            ["state"] = "established",
            ["resultInfo"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.resultInfo", ["code"] = 500, ["subCode"] = 7700, ["message"] = "Transfer failed" },
        });

    public static JsonObject TerminatedItem(string callId, JsonNode? code = null, JsonNode? subcode = null, string? message = null)
    {
        var data = new JsonObject { ["@odata.type"] = "#microsoft.graph.call", ["state"] = "terminated" };
        if (code is not null || subcode is not null || message is not null)
        {
            data["resultInfo"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.resultInfo",
                ["code"] = code?.DeepClone(),
                ["subcode"] = subcode?.DeepClone(),
                ["message"] = message,
            };
        }
        return Item("deleted", callId, data);
    }

    public static JsonObject Item(string changeType, string callId, JsonNode resourceData, string? subResource = null) => new()
    {
        ["@odata.type"] = "#microsoft.graph.commsNotification",
        ["changeType"] = changeType,
        ["resourceUrl"] = $"/communications/calls/{callId}{subResource}",
        ["resourceData"] = resourceData,
    };

    public static string Batch(params JsonObject[] items) => new JsonObject
    {
        ["@odata.type"] = "#microsoft.graph.commsNotifications",
        ["value"] = new JsonArray([.. items]),
    }.ToJsonString();

    public static string Incoming(string callId, JsonObject source, JsonObject? target = null, string tenant = Tenant, bool group = false) =>
        Batch(IncomingItem(callId, source, target, tenant, group));
}
