using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallFunctions.Calls;

namespace CallFunctions.Notifications;

/// <summary>Turns a commsNotifications body into typed call events. Pure: no I/O, no clock.</summary>
public static partial class NotificationParser
{
    private const string EnvelopeType = "#microsoft.graph.commsNotifications";

    private static readonly string[] IdentityKinds =
        ["phone", "user", "guest", "application", "applicationInstance", "encrypted", "onPremises", "device", "acsUser", "spoolUser"];

    /// <summary>A real notification nests about 8 levels deep.</summary>
    public const int MaxDepth = 32;

    /// <summary>Graph sends a handful of notifications per request; each one may cost a Graph request and a write.</summary>
    public const int MaxBatch = 100;

    public static Envelope Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty) return new Envelope.Invalid("The request body is empty.");
        try
        {
            // Duplicate names are refused: which of two values counts would be a guess.
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            return new Envelope.Invalid($"The request body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // Comparing names for duplicates decodes them; a name escaping half a surrogate pair cannot be decoded.
            return new Envelope.Invalid(NotUnicode);
        }
    }

    private const string NotUnicode = "The request body holds a string that is not valid Unicode text.";

    public static Envelope Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return new Envelope.Invalid($"The request body must be a JSON object, not {Json.Describe(root)}.");
        try
        {
            return ParseEnvelope(root);
        }
        catch (BadField e)
        {
            return new Envelope.Invalid(e.Message);
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to turn an escaped half surrogate pair into a string.
            return new Envelope.Invalid(NotUnicode);
        }
    }

    private static Envelope ParseEnvelope(JsonElement root)
    {
        var odataType = root.Property("@odata.type", "");
        var value = root.Property("value", "");
        if (odataType is null && value is null) return new Envelope.Legacy();

        if (odataType is { } type && (type.ValueKind != JsonValueKind.String
                                      || !string.Equals(type.GetString(), EnvelopeType, StringComparison.OrdinalIgnoreCase)))
            return new Envelope.Invalid($"@odata.type must be \"{EnvelopeType}\", not {Json.Describe(type)}{Quoted(type)}.");
        if (value is not { } items)
            return new Envelope.Invalid("The envelope has no \"value\" array of notifications.");
        if (items.ValueKind != JsonValueKind.Array)
            return new Envelope.Invalid($"\"value\" must be an array of notifications, not {Json.Describe(items)}.");
        if (items.GetArrayLength() > MaxBatch)
            return new Envelope.Invalid($"\"value\" holds {items.GetArrayLength()} notifications; at most {MaxBatch} are accepted in one request.");

        var parsed = new List<Item>(items.GetArrayLength());
        var index = 0;
        foreach (var item in items.EnumerateArray()) parsed.Add(ParseItem(item, index++));
        return new Envelope.Batch(parsed);
    }

    private static string Quoted(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $" \"{Json.Quote(value.GetString()!)}\"" : "";

    private static Item ParseItem(JsonElement item, int index)
    {
        var path = $"value[{index}]";
        try
        {
            if (item.ValueKind != JsonValueKind.Object)
                return new Item.Bad(index, $"{path} must be an object, not {Json.Describe(item)}.");

            var changeType = ParseChangeType(item.String("changeType", path), path);
            var url = item.String("resourceUrl", path) ?? item.String("resource", path)
                      ?? throw new BadField($"{path} has neither resourceUrl nor resource.");
            var match = CallUrl().Match(url);
            if (!match.Success) return new Item.Ignored(index, Json.Quote(url));
            if (match.Groups["sub"].Success) return new Item.Ignored(index, Json.Quote(url));

            var callId = match.Groups["id"].Value;
            if (!CallIdShape().IsMatch(callId))
                throw new BadField($"{path}.resourceUrl holds a call id that is not a Graph call id: \"{Json.Quote(callId)}\".");

            var data = ResourceData(item, path);
            return new Item.Call(index, ParseCall(callId, changeType, data, $"{path}.resourceData"));
        }
        catch (BadField e)
        {
            return new Item.Bad(index, e.Message);
        }
        catch (InvalidOperationException)
        {
            return new Item.Bad(index, $"{path} holds a string that is not valid Unicode text.");
        }
    }

    private static ChangeType ParseChangeType(string? text, string path) =>
        text?.ToLowerInvariant() switch
        {
            "created" => ChangeType.Created,
            "updated" => ChangeType.Updated,
            "deleted" => ChangeType.Deleted,
            null => throw new BadField($"{path}.changeType is missing."),
            _ => throw new BadField($"{path}.changeType must be created, updated or deleted, not \"{Json.Quote(text)}\"."),
        };

    /// <summary>resourceData is an object for a call, but an array in some notifications: the first object is the call.</summary>
    private static JsonElement? ResourceData(JsonElement item, string path)
    {
        if (item.Property("resourceData", path) is not { } data) return null;
        return data.ValueKind switch
        {
            JsonValueKind.Object => data,
            JsonValueKind.Array => data.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object) is
                { ValueKind: JsonValueKind.Object } first ? first : null,
            _ => throw new BadField($"{path}.resourceData must be an object or an array, not {Json.Describe(data)}."),
        };
    }

    /// <summary>An invitation's targets are the bot and at most a few others; the call's record keeps them all.</summary>
    private const int MaxTargets = 16;

    /// <summary>Graph's states by name, camelCase or PascalCase; never a number, as Enum.Parse would take.</summary>
    private static readonly FrozenDictionary<string, CallState> States =
        Enum.GetValues<CallState>().ToFrozenDictionary(s => s.ToString(), StringComparer.OrdinalIgnoreCase);

    private static CallEvent ParseCall(string callId, ChangeType changeType, JsonElement? resourceData, string path)
    {
        if (resourceData is not { } data) return new CallEvent(callId, changeType, null, null, null, null, null, null, null);

        var state = data.String("state", path) is { } text ? States.GetValueOrDefault(text, CallState.Unknown) : (CallState?)null;
        var source = data.Object("source", path) is { } s ? ParseParticipant(s, $"{path}.source") : null;
        List<Party>? targets = null;
        if (data.Array("targets", path) is { } array)
        {
            if (array.GetArrayLength() > MaxTargets)
                throw new BadField($"{path}.targets holds {array.GetArrayLength()} participants; at most {MaxTargets} are read.");
            targets = [];
            var i = 0;
            foreach (var target in array.EnumerateArray())
            {
                var targetPath = $"{path}.targets[{i++}]";
                if (target.ValueKind != JsonValueKind.Object)
                    throw new BadField($"{targetPath} must be an object, not {Json.Describe(target)}.");
                targets.Add(ParseParticipant(target, targetPath));
            }
        }

        bool? isGroup = null;
        if (state == CallState.Incoming || source is not null || targets is not null)
            isGroup = data.Object("chatInfo", path) is not null || data.Object("meetingInfo", path) is not null;

        ResultInfo? result = null;
        if (data.Object("resultInfo", path) is { } info)
        {
            var infoPath = $"{path}.resultInfo";
            result = new ResultInfo(info.Integer("code", infoPath), info.Integer("subcode", infoPath), info.String("message", infoPath));
        }

        ToneInfo? tone = null;
        if (data.Object("toneInfo", path) is { } toneInfo && toneInfo.String("tone", $"{path}.toneInfo") is { } pressed)
            tone = new ToneInfo(toneInfo.Integer("sequenceId", $"{path}.toneInfo"), pressed);

        return new CallEvent(callId, changeType, state, source, targets,
            data.String("tenantId", path), isGroup, result, data.String("callChainId", path), ParseRoutes(data, path), tone);
    }

    /// <summary>callRoutes tell who was dialled when the call was forwarded: <c>[{routingType, original, final}]</c>.</summary>
    private static List<CallRoute>? ParseRoutes(JsonElement data, string path)
    {
        if (data.Array("callRoutes", path) is not { } array) return null;
        var routes = new List<CallRoute>();
        var i = 0;
        foreach (var route in array.EnumerateArray())
        {
            var routePath = $"{path}.callRoutes[{i++}]";
            if (route.ValueKind != JsonValueKind.Object)
                throw new BadField($"{routePath} must be an object, not {Json.Describe(route)}.");
            var original = route.Object("original", routePath) is { } o ? ParseIdentitySet(o, $"{routePath}.original") : Party.None;
            var final = route.Object("final", routePath) is { } f ? ParseIdentitySet(f, $"{routePath}.final") : Party.None;
            routes.Add(new CallRoute(route.String("routingType", routePath) ?? "unknown", original, final));
        }
        return routes;
    }

    private static Party ParseParticipant(JsonElement participant, string path) =>
        participant.Object("identity", path) is { } identitySet ? ParseIdentitySet(identitySet, $"{path}.identity") : Party.None;

    private static Party ParseIdentitySet(JsonElement identitySet, string path)
    {
        var identities = new List<Identity>(1);
        foreach (var kind in IdentityKinds)
        {
            if (identitySet.Object(kind, path) is not { } identity) continue;
            var id = identity.String("id", $"{path}.{kind}");
            identities.Add(new Identity(kind, id ?? ""));
        }
        return new Party(identities);
    }

    [GeneratedRegex(@"^/(?:communications|app)/calls/(?<id>[^/]+)(?<sub>/.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CallUrl();

    // Table keys may not hold / \ # ? or control characters; Graph call ids are GUID-like.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CallIdShape();
}
