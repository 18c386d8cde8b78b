using System.Collections.Frozen;
using System.Globalization;

namespace CallFunctions.Records;

/// <summary>
/// The termination codes documented for Graph calls (the "call termination reason codes" table of the
/// call-delete API page), in English.
/// </summary>
public static class TerminationCodes
{
    public const string Undocumented = "Undocumented code";

    /// <summary>The meaning of a termination without resultInfo, in its record, the summary and the page's table.</summary>
    public const string NoResultInfo = "No resultInfo: the call ended without a reason (as after a reject)";

    /// <summary>The same fact as <see cref="NoResultInfo"/>, as a key where endings count by <c>code/subcode</c> (the page's chart).</summary>
    public const string NoResultInfoKey = "none";

    /// <summary>
    /// The meaning of a record the reconciler closed: Graph answered 404 for the call, so it had ended, and Graph never
    /// sent its end. Not a code of Graph's: the record has no Code, and its column EndedBy says Reconciler.
    /// </summary>
    public const string NotReported = "Ended, not reported by Graph: the call was gone (404) when the reconciler asked";

    /// <summary>The same fact as <see cref="NotReported"/>, as a key where endings count by <c>code/subcode</c>.</summary>
    public const string NotReportedKey = "not-reported";

    public static FrozenDictionary<(int Code, int Subcode), string> All { get; } = new Dictionary<(int, int), string>
    {
        [(200, 4097)] = "Call ended by the other participant in the call.",
        [(200, 4521)] = "Call ended by the other participant in a peer-to-peer call.",
        [(200, 5000)] = "Removed from the conversation by another participant.",
        [(200, 5001)] = "The conversation has ended.",
        [(200, 5002)] = "The conversation ended because all other participants left the call.",
        [(200, 5003)] = "The conversation has ended.",
        [(200, 5007)] = "The conversation ended when the group call's initiator left the conversation.",
        [(200, 5010)] = "The conversation ended because only one participant remained in the conversation.",
        [(200, 5012)] = "The conversation ended because there were no participants in the incoming roster.",
        [(200, 5013)] = "The conversation ended because nobody else joined the group call.",
        [(200, 5014)] = "The conversation ended because no potential host could be found for the group call.",
        [(200, 5020)] = "The conversation ended because there were no unmasked participants in the incoming roster.",
        [(200, 5030)] = "The conversation ended because the breakout room's duration elapsed.",
        [(200, 5300)] = "The participant was removed from the conversation by another participant.",
        [(200, 5855)] = "The participant waiting in the lobby was removed after the lobby's inactivity timeout expired.",
        [(200, 7000)] = "The conversation was ended by the bot.",
        [(200, 7015)] = "The call ended because the transfer completed successfully.",
        // Graph's call-transfer page: the bot's leg ends with 0/7015 once the call it transferred is connected.
        [(0, 7015)] = "The call was transferred: the bot's part ended when the transfer completed.",
        [(200, 10550)] = "The conversation was ended by the bot.",
        [(200, 18503)] = "The other participant in the peer-to-peer call left the conversation.",
        [(200, 540000)] = "Call ended by the PSTN user.",
        [(200, 560000)] = "Call ended by the PSTN user.",
        [(408, 8537)] = "Keep-alive timeout: the inactive call was cleaned up.",
        [(408, 1106)] = "No acknowledgement of the call acceptance was received in time.",
        [(408, 10057)] = "The call timed out because the called endpoints sent no signaling.",
        [(410, 301005)] = "Media connectivity failure.",
        [(480, 10037)] = "No called endpoint was found.",
        [(480, 10076)] = "The callee could not be reached.",
        [(480, 10134)] = "Call rejected because it could not be routed.",
        [(480, 10199)] = "Call rejected because private calling is disabled for the user.",
        [(500, 1005)] = "The server hit a connectivity error with the bot's media. Check media connectivity between the bot and Microsoft.",
    }.ToFrozenDictionary();

    /// <summary>A termination's <c>code/subcode</c> (<c>200/5001</c>, <c>200/-</c> without a subcode), or <see cref="NoResultInfoKey"/>.</summary>
    public static string Key(int? code, int? subcode) =>
        code is { } c ? $"{c}/{subcode?.ToString(CultureInfo.InvariantCulture) ?? "-"}" : NoResultInfoKey;

    public static string Describe(int? code, int? subcode) =>
        code is null && subcode is null ? NoResultInfo
        : code is { } c && subcode is { } s && All.TryGetValue((c, s), out var meaning) ? meaning
        : Undocumented;
}
