using System.Text;
using System.Text.Json;
using CallFunctions.Notifications;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Notifications;

public sealed class NotificationParserTests
{
    private const string EnvelopeType = "#microsoft.graph.commsNotifications";

    private static readonly string[] SampleFiles =
    [
        "established.json", "incoming-group-invite.json", "incoming-p2p-teams-user.json", "incoming-pstn.json",
        "terminated-5001.json", "terminated-5002-real.json", "terminating.json",
    ];

    public static TheoryData<string> Samples => new(SampleFiles);

    [Fact]
    public void EveryNotificationSampleFileIsCoveredByTheseTests()
    {
        var files = Directory.GetFiles(Repo.Path("samples"), "*.json")
            .Where(f => File.ReadAllText(f).Contains(EnvelopeType, StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal);

        Assert.Equal(SampleFiles.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySampleParsesToOneCallEvent(string file)
    {
        var call = Sample(file);

        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.NotNull(call.State);
    }

    [Fact]
    public void ParsesTheIncomingPstnSample()
    {
        var call = Sample("incoming-pstn.json");

        Assert.Equal("491f0b00-ffff-4bc9-a43e-b226498ec22a", call.CallId);
        Assert.Equal(ChangeType.Created, call.ChangeType);
        Assert.Equal(CallState.Incoming, call.State);
        Assert.Equal([new Identity("phone", "+14255550123")], call.Source!.Identities);
        var target = Assert.Single(call.Targets!);
        Assert.Equal([new Identity("applicationInstance", "7629bdce-046c-4903-86b4-a8f718277e1a")], target.Identities);
        Assert.Equal("632899f8-2ea1-4604-8413-27bd2892079f", call.TenantId);
        Assert.False(call.IsGroup);
        Assert.Null(call.Result);
        Assert.Equal("2d7c0f1e-3a4b-4c5d-8e9f-a0b1c2d3e4f5", call.ChainId);
        Assert.True(call.IsIncoming);
        Assert.False(call.IsTermination);
    }

    [Fact]
    public void ParsesTheIncomingPeerToPeerTeamsUserSample()
    {
        var call = Sample("incoming-p2p-teams-user.json");

        Assert.Equal("521f0b00-431f-49e4-972a-d4da044def36", call.CallId);
        Assert.Equal(ChangeType.Created, call.ChangeType);
        Assert.Equal(CallState.Incoming, call.State);
        Assert.Equal([new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50")], call.Source!.Identities);
        var target = Assert.Single(call.Targets!);
        Assert.Equal([new Identity("applicationInstance", "92167092-7c3e-4b8a-8c1d-5e6f7a8b9c0d")], target.Identities);
        Assert.Equal("1cd119ab-b444-4c16-84b9-8538585d1987", call.TenantId);
        Assert.False(call.IsGroup);
        Assert.Null(call.Result);
        Assert.Equal("9c0c1f04-9102-4f0e-a8fc-59532912e3f4", call.ChainId);
    }

    [Fact]
    public void ParsesTheGroupInviteSampleAsAGroupCall()
    {
        var call = Sample("incoming-group-invite.json");

        Assert.Equal("6b1f0b00-aaaa-4c1d-9e2f-3a4b5c6d7e8f", call.CallId);
        Assert.Equal(ChangeType.Created, call.ChangeType);
        Assert.Equal(CallState.Incoming, call.State);
        Assert.Equal([new Identity("user", "550fae72-d251-43ec-868c-373732c2704f")], call.Source!.Identities);
        var target = Assert.Single(call.Targets!);
        Assert.Equal([new Identity("application", "2891555a-92ff-42e6-80fa-6e1300c6b5c6")], target.Identities);
        Assert.Equal("aa67bd4c-8475-432d-bd41-39f255720e0a", call.TenantId);
        Assert.True(call.IsGroup);
        Assert.Null(call.Result);
        Assert.Equal("b5c6d7e8-f9a0-4b1c-8d2e-3f4a5b6c7d8e", call.ChainId);
    }

    [Theory]
    [InlineData("established.json", CallState.Established)]
    [InlineData("terminating.json", CallState.Terminating)]
    public void ParsesAStateUpdateSampleThatCarriesOnlyTheState(string file, CallState state)
    {
        var call = Sample(file);

        Assert.Equal(new CallEvent("57dab8b1-894c-409a-b240-bd8beae78896", ChangeType.Updated, state, null, null, null, null, null, null), call);
        Assert.False(call.IsIncoming);
    }

    [Fact]
    public void ReadsResultCodesWrittenAsStringsInTheDocumentedSample()
    {
        var call = Sample("terminated-5001.json");

        Assert.Equal(new CallEvent("57dab8b1-894c-409a-b240-bd8beae78896", ChangeType.Deleted, CallState.Terminated, null, null, null, null,
            new ResultInfo(200, 5001, "The conversation has ended."), null), call);
        Assert.True(call.IsTermination);
    }

    [Fact]
    public void ReadsResultCodesWrittenAsNumbersAndKeepsTheDiagCodeMessageInTheRealSample()
    {
        var call = Sample("terminated-5002-real.json");

        Assert.Equal(new CallEvent("6c1f5e00-76e1-4d4a-9a16-dc2b92a449dd", ChangeType.Deleted, CallState.Terminated, null, null, null, null,
            new ResultInfo(200, 5002, "The conversation has ended. DiagCode: 0#5002.@"), "ffec1e98-9d8b-4201-ac1f-a5509347d041"), call);
    }

    [Theory]
    [InlineData("\"480\"", "\"10076\"", 480, 10076)]
    [InlineData("480", "10076", 480, 10076)]
    [InlineData("\" 200 \"", "540000", 200, 540000)]
    [InlineData("\"-1\"", "0", -1, 0)]
    public void ReadsResultCodesFromStringsAndNumbers(string code, string subcode, int expectedCode, int expectedSubcode)
    {
        var call = OnlyCall(Item($$$"""{"state":"terminated","resultInfo":{"code":{{{code}}},"subcode":{{{subcode}}},"message":"m"}}""", "deleted"));

        Assert.Equal(new ResultInfo(expectedCode, expectedSubcode, "m"), call.Result);
    }

    [Fact]
    public void ReadsPascalCasePropertyNamesAndEnumValues()
    {
        var call = OnlyCall("""
            {"@odata.type":"#microsoft.graph.commsNotifications","Value":[{"ChangeType":"Created","ResourceUrl":"/Communications/Calls/abc-1",
             "ResourceData":{"State":"Incoming","Source":{"Identity":{"Phone":{"Id":"+14255550123"}}},
             "Targets":[{"Identity":{"ApplicationInstance":{"Id":"app-1"}}}],"TenantId":"t-1","ChatInfo":{},"CallChainId":"chain-1",
             "ResultInfo":{"Code":"200","Subcode":5001,"Message":"M"}}}]}
            """);

        Assert.Equal("abc-1", call.CallId);
        Assert.Equal(ChangeType.Created, call.ChangeType);
        Assert.Equal(CallState.Incoming, call.State);
        Assert.Equal([new Identity("phone", "+14255550123")], call.Source!.Identities);
        Assert.Equal([new Identity("applicationInstance", "app-1")], Assert.Single(call.Targets!).Identities);
        Assert.Equal("t-1", call.TenantId);
        Assert.True(call.IsGroup);
        Assert.Equal(new ResultInfo(200, 5001, "M"), call.Result);
        Assert.Equal("chain-1", call.ChainId);
        Assert.True(call.IsIncoming);
    }

    [Theory]
    [InlineData("created", ChangeType.Created)]
    [InlineData("UPDATED", ChangeType.Updated)]
    [InlineData("Deleted", ChangeType.Deleted)]
    public void ReadsChangeTypesCaseInsensitively(string changeType, ChangeType expected)
    {
        Assert.Equal(expected, OnlyCall(Item("""{"state":"established"}""", changeType)).ChangeType);
    }

    [Fact]
    public void AcceptsTheEnvelopeTypeCaseInsensitively()
    {
        var envelope = Parse("""{"@odata.type":"#Microsoft.Graph.CommsNotifications","value":[]}""");

        Assert.Empty(Assert.IsType<Envelope.Batch>(envelope).Items);
    }

    [Fact]
    public void AcceptsAValueArrayWithoutTheEnvelopeType()
    {
        var envelope = Parse("""{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/abc","resourceData":{"state":"established"}}]}""");

        var item = Assert.IsType<Item.Call>(Assert.Single(Assert.IsType<Envelope.Batch>(envelope).Items));
        Assert.Equal("abc", item.Event.CallId);
    }

    [Fact]
    public void TakesTheFirstObjectOfAResourceDataArrayAsTheCall()
    {
        var call = OnlyCall(Item("""[null, "x", {"state":"terminated","resultInfo":{"code":200,"subcode":5002}}, {"state":"other"}]""", "deleted"));

        Assert.Equal(CallState.Terminated, call.State);
        Assert.Equal(new ResultInfo(200, 5002, null), call.Result);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[1, \"x\"]")]
    public void AResourceDataArrayWithoutAnObjectGivesAnEventWithOnlyTheCallId(string resourceData)
    {
        var call = OnlyCall(Item(resourceData, "deleted"));

        Assert.Equal(new CallEvent("abc", ChangeType.Deleted, null, null, null, null, null, null, null), call);
    }

    [Fact]
    public void AnItemWithoutResourceDataGivesAnEventWithOnlyTheCallId()
    {
        var call = OnlyCall("""{"value":[{"changeType":"deleted","resourceUrl":"/communications/calls/abc"}]}""");

        Assert.Equal(new CallEvent("abc", ChangeType.Deleted, null, null, null, null, null, null, null), call);
        Assert.True(call.IsTermination);
    }

    [Theory]
    [InlineData("""{"id":"abc","type":"incoming","callbackUri":"https://bot/api/calls"}""")]
    [InlineData("""{"callNotification":{"callId":"abc","state":"incoming"}}""")]
    [InlineData("{}")]
    [InlineData("""{"@odata.type":null,"value":null}""")]
    public void ABodyWithNeitherEnvelopeTypeNorValueIsTheLegacyFormat(string body)
    {
        Assert.IsType<Envelope.Legacy>(Parse(body));
    }

    [Theory]
    [InlineData("/communications/calls/abc/participants")]
    [InlineData("/communications/calls/abc/participants/p-1")]
    [InlineData("/communications/calls/abc/operations/0b1f2c00-1111-4a4a-9b9b")]
    [InlineData("/communications/calls/abc/")]
    [InlineData("/app/calls/abc/participants")]
    [InlineData("/communications/onlineMeetings/abc")]
    [InlineData("/communications/calls")]
    [InlineData("/communications/calls/")]
    [InlineData("calls/abc")]
    public void SubResourcesAndOtherResourcesAreIgnored(string url)
    {
        var item = OnlyItem(Wrap($$$"""{"changeType":"updated","resourceUrl":{{{JsonSerializer.Serialize(url)}}},"resourceData":{"state":"x"}}"""));

        Assert.Equal(new Item.Ignored(0, url), item);
    }

    [Fact]
    public void AnIgnoredResourceUrlIsTruncatedTo64Characters()
    {
        var url = "/communications/calls/abc/participants/" + new string('p', 100);

        var item = OnlyItem(Wrap($$"""{"changeType":"updated","resourceUrl":"{{url}}"}"""));

        Assert.Equal(new Item.Ignored(0, url[..64] + "…"), item);
    }

    [Fact]
    public void UsesTheLegacyResourceFieldWhenResourceUrlIsMissing()
    {
        var call = OnlyCall(Wrap("""{"changeType":"deleted","resource":"/app/calls/521f0b00-431f-49e4-972a-d4da044def36","resourceData":{"state":"terminated"}}"""));

        Assert.Equal("521f0b00-431f-49e4-972a-d4da044def36", call.CallId);
        Assert.Equal(CallState.Terminated, call.State);
    }

    [Fact]
    public void PrefersResourceUrlOverTheLegacyResourceField()
    {
        var call = OnlyCall(Wrap("""{"changeType":"updated","resource":"/app/calls/legacy-id","resourceUrl":"/communications/calls/new-id"}"""));

        Assert.Equal("new-id", call.CallId);
    }

    [Fact]
    public void AnIdentitySetWithBothUserAndPhoneYieldsBothIdentities()
    {
        var call = OnlyCall(Item("""
            {"state":"incoming","source":{"identity":{"user":{"id":"73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50","displayName":"Adele"},
             "phone":{"id":"+14255550123"}}}}
            """));

        var identities = call.Source!.Identities;
        Assert.Equal(2, identities.Count);
        Assert.Contains(new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"), identities);
        Assert.Contains(new Identity("phone", "+14255550123"), identities);
    }

    [Fact]
    public void ReadsEveryTargetAndEveryKnownIdentityKind()
    {
        var call = OnlyCall(Item("""
            {"state":"incoming","targets":[
              {"identity":{"guest":{"id":"g-1"}}},
              {"identity":{"encrypted":{"id":"e-1"}}},
              {"identity":{"application":{"id":"a-1"},"applicationInstance":{"id":"ai-1"}}},
              {"identity":{"unknownKind":{"id":"u-1"}}},
              {"identity":{"phone":{"displayName":"no id"}}},
              {}]}
            """));

        Assert.Equal(
            ["guest:g-1", "encrypted:e-1", "application:a-1, applicationInstance:ai-1", "", "phone:", ""],
            call.Targets!.Select(t => t.ToString()));
    }

    [Fact]
    public void ACallWithoutChatOrMeetingInfoIsNotAGroupCall()
    {
        Assert.False(OnlyCall(Item("""{"state":"incoming"}""")).IsGroup);
    }

    [Fact]
    public void MeetingInfoAloneMakesAGroupCall()
    {
        Assert.True(OnlyCall(Item("""{"state":"incoming","meetingInfo":{"allowConversationWithoutHost":true}}""")).IsGroup);
    }

    [Fact]
    public void NullValuesAreTreatedAsAbsent()
    {
        var call = OnlyCall(Wrap("""
            {"changeType":"deleted","resourceUrl":null,"resource":"/app/calls/abc","resourceData":{"state":null,"source":null,"targets":null,
             "tenantId":null,"chatInfo":null,"meetingInfo":null,"callChainId":null,"resultInfo":{"code":null,"subcode":null,"message":null}}}
            """));

        Assert.Equal(new CallEvent("abc", ChangeType.Deleted, null, null, null, null, null, new ResultInfo(null, null, null), null), call);
    }

    [Fact]
    public void NullIdentitiesAndIdsAreTreatedAsAbsent()
    {
        var call = OnlyCall(Item("""{"state":"incoming","source":{"identity":{"user":null,"phone":{"id":null}}},"targets":[{"identity":null}]}"""));

        Assert.Equal([new Identity("phone", "")], call.Source!.Identities);
        Assert.Empty(Assert.Single(call.Targets!).Identities);
        Assert.False(call.IsGroup);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    [InlineData("null")]
    public void ABlankResultCodeIsAbsent(string code)
    {
        var call = OnlyCall(Item($$$"""{"state":"terminated","resultInfo":{"code":{{{code}}},"subcode":5001}}""", "deleted"));

        Assert.Equal(new ResultInfo(null, 5001, null), call.Result);
    }

    [Theory]
    [InlineData("\"x\"", "value[0] must be an object, not a string.")]
    [InlineData("42", "value[0] must be an object, not the number 42.")]
    [InlineData("[]", "value[0] must be an object, not an array.")]
    [InlineData("true", "value[0] must be an object, not a boolean.")]
    [InlineData("null", "value[0] must be an object, not null.")]
    [InlineData("""{"resourceUrl":"/communications/calls/abc"}""", "value[0].changeType is missing.")]
    [InlineData("""{"changeType":null,"resourceUrl":"/communications/calls/abc"}""", "value[0].changeType is missing.")]
    [InlineData("""{"changeType":5,"resourceUrl":"/communications/calls/abc"}""", "value[0].changeType must be a string, not the number 5.")]
    [InlineData("""{"changeType":"moved","resourceUrl":"/communications/calls/abc"}""",
        "value[0].changeType must be created, updated or deleted, not \"moved\".")]
    [InlineData("""{"changeType":"created"}""", "value[0] has neither resourceUrl nor resource.")]
    [InlineData("""{"changeType":"created","resourceUrl":null,"resource":null}""", "value[0] has neither resourceUrl nor resource.")]
    [InlineData("""{"changeType":"created","resourceUrl":7}""", "value[0].resourceUrl must be a string, not the number 7.")]
    [InlineData("""{"changeType":"created","resource":{}}""", "value[0].resource must be a string, not an object.")]
    [InlineData("""{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":"x"}""",
        "value[0].resourceData must be an object or an array, not a string.")]
    [InlineData("""{"changeType":"created","resourceUrl":"/communications/calls/abc","resourceData":12.5}""",
        "value[0].resourceData must be an object or an array, not the number 12.5.")]
    public void AnItemOfTheWrongShapeIsBadWithAnExactMessage(string item, string error)
    {
        Assert.Equal(new Item.Bad(0, error), OnlyItem(Wrap(item)));
    }

    [Theory]
    [InlineData("""{"state":3}""", "value[0].resourceData.state must be a string, not the number 3.")]
    [InlineData("""{"state":"incoming","source":"x"}""", "value[0].resourceData.source must be an object, not a string.")]
    [InlineData("""{"state":"incoming","source":{"identity":[]}}""", "value[0].resourceData.source.identity must be an object, not an array.")]
    [InlineData("""{"state":"incoming","source":{"identity":{"phone":"+1"}}}""",
        "value[0].resourceData.source.identity.phone must be an object, not a string.")]
    [InlineData("""{"state":"incoming","source":{"identity":{"phone":{"id":14255550123}}}}""",
        "value[0].resourceData.source.identity.phone.id must be a string, not the number 14255550123.")]
    [InlineData("""{"state":"incoming","targets":{}}""", "value[0].resourceData.targets must be an array, not an object.")]
    [InlineData("""{"state":"incoming","targets":[1]}""", "value[0].resourceData.targets[0] must be an object, not the number 1.")]
    [InlineData("""{"state":"incoming","targets":[{},{"identity":{"user":{"id":true}}}]}""",
        "value[0].resourceData.targets[1].identity.user.id must be a string, not a boolean.")]
    [InlineData("""{"state":"incoming","chatInfo":"x"}""", "value[0].resourceData.chatInfo must be an object, not a string.")]
    [InlineData("""{"state":"incoming","meetingInfo":[]}""", "value[0].resourceData.meetingInfo must be an object, not an array.")]
    [InlineData("""{"tenantId":1}""", "value[0].resourceData.tenantId must be a string, not the number 1.")]
    [InlineData("""{"callChainId":{}}""", "value[0].resourceData.callChainId must be a string, not an object.")]
    [InlineData("""{"resultInfo":"200"}""", "value[0].resourceData.resultInfo must be an object, not a string.")]
    [InlineData("""{"resultInfo":{"code":"abc"}}""",
        "value[0].resourceData.resultInfo.code must be an integer or a string holding one, not a string.")]
    [InlineData("""{"resultInfo":{"code":2.5}}""",
        "value[0].resourceData.resultInfo.code must be an integer or a string holding one, not the number 2.5.")]
    [InlineData("""{"resultInfo":{"subcode":99999999999}}""",
        "value[0].resourceData.resultInfo.subcode must be an integer or a string holding one, not the number 99999999999.")]
    [InlineData("""{"resultInfo":{"subcode":"99999999999"}}""",
        "value[0].resourceData.resultInfo.subcode must be an integer or a string holding one, not a string.")]
    [InlineData("""{"resultInfo":{"code":true}}""",
        "value[0].resourceData.resultInfo.code must be an integer or a string holding one, not a boolean.")]
    [InlineData("""{"resultInfo":{"message":5}}""", "value[0].resourceData.resultInfo.message must be a string, not the number 5.")]
    public void AResourceDataFieldOfTheWrongTypeIsBadWithAnExactMessage(string resourceData, string error)
    {
        Assert.Equal(new Item.Bad(0, error), OnlyItem(Item(resourceData)));
    }

    [Fact]
    public void ABadItemDoesNotSpoilItsNeighbours()
    {
        var envelope = Parse($$$"""
            {"@odata.type":"{{{EnvelopeType}}}","value":[
              {"changeType":"updated","resourceUrl":"/communications/calls/one","resourceData":{"state":"established"}},
              {"changeType":"updated","resourceUrl":"/communications/calls/two","resourceData":{"state":false}},
              {"changeType":"updated","resourceUrl":"/communications/calls/three/participants"},
              {"changeType":"deleted","resourceUrl":"/communications/calls/four"}]}
            """);

        var items = Assert.IsType<Envelope.Batch>(envelope).Items;
        Assert.Equal(4, items.Count);
        Assert.Equal("one", Assert.IsType<Item.Call>(items[0]).Event.CallId);
        Assert.Equal(new Item.Bad(1, "value[1].resourceData.state must be a string, not a boolean."), items[1]);
        Assert.Equal(new Item.Ignored(2, "/communications/calls/three/participants"), items[2]);
        Assert.Equal(3, items[3].Index);
        Assert.Equal("four", Assert.IsType<Item.Call>(items[3]).Event.CallId);
    }

    [Theory]
    [InlineData("abc#x", "abc#x")]
    [InlineData("abc?x=1", "abc?x=1")]
    [InlineData("abc\\x", @"abc\\x")]
    [InlineData("abc%2Fx", "abc%2Fx")]
    [InlineData("abc\u0001x", @"abc\u0001x")]
    [InlineData("abc\tx", @"abc\tx")]
    [InlineData("abc\nx", @"abc\nx")]
    [InlineData("abc\n", @"abc\n")]
    [InlineData("abc\u007f", @"abc\u007F")]
    [InlineData("abc x", "abc x")]
    [InlineData("-abc", "-abc")]
    [InlineData(".abc", ".abc")]
    [InlineData("appel-é", "appel-é")]
    public void ACallIdWithCharactersATableKeyCannotHoldIsBad(string callId, string shown)
    {
        var item = OnlyItem(Wrap($$"""{"changeType":"created","resourceUrl":{{JsonSerializer.Serialize("/communications/calls/" + callId)}}}"""));

        // Control characters and backslashes come back escaped, so a log line cannot be forged through the message.
        Assert.Equal(new Item.Bad(0, $"value[0].resourceUrl holds a call id that is not a Graph call id: \"{shown}\"."), item);
    }

    [Fact]
    public void ACallIdLongerThan128CharactersIsBad()
    {
        var callId = new string('a', 129);

        var item = OnlyItem(Wrap($$"""{"changeType":"created","resourceUrl":"/communications/calls/{{callId}}"}"""));

        Assert.Equal(new Item.Bad(0, $"value[0].resourceUrl holds a call id that is not a Graph call id: \"{new string('a', 64)}…\"."), item);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("521f0b00-431f-49e4-972a-d4da044def36")]
    [InlineData("A1.b_c-D")]
    public void ACallIdOfLettersDigitsDotsDashesAndUnderscoresIsKept(string callId)
    {
        Assert.Equal(callId, OnlyCall(Wrap($$"""{"changeType":"created","resourceUrl":"/communications/calls/{{callId}}"}""")).CallId);
    }

    [Fact]
    public void ACallIdOfExactly128CharactersIsKept()
    {
        var callId = "a" + new string('-', 127);

        Assert.Equal(callId, OnlyCall(Wrap($$"""{"changeType":"created","resourceUrl":"/communications/calls/{{callId}}"}""")).CallId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \t\r\n ")]
    public void AnEmptyOrBlankBodyIsInvalid(string body)
    {
        Assert.Equal(new Envelope.Invalid("The request body is empty."), Parse(body));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("""{"value":[}""")]
    [InlineData("""{"value":[]} trailing""")]
    public void ABodyThatIsNotJsonIsInvalidWithTheParsersMessage(string body)
    {
        Assert.Equal(new Envelope.Invalid("The request body is not valid JSON: " + JsonError(body, NotificationParser.MaxDepth)), Parse(body));
    }

    /// <summary>The detail goes into the answer and a log line: what the body holds must not start a new line there.</summary>
    [Theory]
    [InlineData("\u0001")]
    [InlineData("{\"value\":\"a\nb\"}")]
    [InlineData("{\"value\":[]}\n\u0085")]
    [InlineData("{\"value\":[]}\u2028")]
    [InlineData("{\"value\":[]} \r\nx")]
    [InlineData("\u001b[31mred")]
    public void TheDetailOfABodyThatIsNotJsonHoldsNoLineBreakOrControlCharacter(string body)
    {
        var invalid = Assert.IsType<Envelope.Invalid>(Parse(body));

        Assert.StartsWith("The request body is not valid JSON: ", invalid.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(invalid.Detail, c => char.IsControl(c) || c is '\u2028' or '\u2029');
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("[{\"value\":[]}]", "an array")]
    [InlineData("42", "the number 42")]
    [InlineData("\"text\"", "a string")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void ABodyWhoseRootIsNotAnObjectIsInvalid(string body, string described)
    {
        Assert.Equal(new Envelope.Invalid($"The request body must be a JSON object, not {described}."), Parse(body));
    }

    [Theory]
    [InlineData("{}", "an object")]
    [InlineData("\"items\"", "a string")]
    [InlineData("3", "the number 3")]
    public void AValueThatIsNotAnArrayIsInvalid(string value, string described)
    {
        var envelope = Parse($$"""{"@odata.type":"{{EnvelopeType}}","value":{{value}}}""");

        Assert.Equal(new Envelope.Invalid($"\"value\" must be an array of notifications, not {described}."), envelope);
    }

    [Theory]
    [InlineData("""{"@odata.type":"#microsoft.graph.commsNotifications"}""")]
    [InlineData("""{"@odata.type":"#microsoft.graph.commsNotifications","value":null}""")]
    public void AnEnvelopeWithoutValueIsInvalid(string body)
    {
        Assert.Equal(new Envelope.Invalid("The envelope has no \"value\" array of notifications."), Parse(body));
    }

    [Theory]
    [InlineData("\"#microsoft.graph.call\"", "a string \"#microsoft.graph.call\"")]
    [InlineData("\"\"", "a string \"\"")]
    [InlineData("5", "the number 5")]
    [InlineData("{}", "an object")]
    public void AWrongEnvelopeTypeIsInvalid(string type, string described)
    {
        var envelope = Parse($$"""{"@odata.type":{{type}},"value":[]}""");

        Assert.Equal(new Envelope.Invalid($"@odata.type must be \"{EnvelopeType}\", not {described}."), envelope);
    }

    [Fact]
    public void ABodyDeeperThanTheDepthLimitIsInvalid()
    {
        // Root, value, item and resourceData are four levels; the nested arrays add the rest.
        var inner = NotificationParser.MaxDepth - 4;
        var atLimit = Item($$"""{"state":"x","extra":{{new string('[', inner)}}{{new string(']', inner)}}}""");
        var beyond = Item($$"""{"state":"x","extra":{{new string('[', inner + 1)}}{{new string(']', inner + 1)}}}""");

        Assert.IsType<Item.Call>(Assert.Single(Assert.IsType<Envelope.Batch>(Parse(atLimit)).Items));
        Assert.Equal(new Envelope.Invalid("The request body is not valid JSON: " + JsonError(beyond, NotificationParser.MaxDepth)), Parse(beyond));
    }

    private static CallEvent Sample(string file)
    {
        var envelope = NotificationParser.Parse(File.ReadAllBytes(Repo.Path("samples", file)));
        var item = Assert.Single(Assert.IsType<Envelope.Batch>(envelope).Items);
        return Assert.IsType<Item.Call>(item).Event;
    }

    private static Envelope Parse(string body) => NotificationParser.Parse(Encoding.UTF8.GetBytes(body));

    private static Item OnlyItem(string body) => Assert.Single(Assert.IsType<Envelope.Batch>(Parse(body)).Items);

    private static CallEvent OnlyCall(string body) => Assert.IsType<Item.Call>(OnlyItem(body)).Event;

    private static string Wrap(string item) => $$"""{"@odata.type":"{{EnvelopeType}}","value":[{{item}}]}""";

    private static string Item(string resourceData, string changeType = "created") =>
        Wrap($$"""{"changeType":"{{changeType}}","resourceUrl":"/communications/calls/abc","resourceData":{{resourceData}}}""");

    private static string JsonError(string body, int maxDepth)
    {
        var exception = Assert.ThrowsAny<JsonException>(() =>
            JsonDocument.Parse(Encoding.UTF8.GetBytes(body), new JsonDocumentOptions { MaxDepth = maxDepth }).Dispose());
        return exception.Message;
    }
}
