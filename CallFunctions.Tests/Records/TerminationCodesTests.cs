using CallFunctions.Records;

namespace CallFunctions.Tests.Records;

public sealed class TerminationCodesTests
{
    // The "Codes de motif de fin d'appel" table of the call-delete page (shared/seeds/call-delete.fr.txt), one row per
    // pair, each motif in English; its row "200 540000/560000" is two pairs.
    public static TheoryData<int, int, string> SeedTable => new()
    {
        { 200, 4097, "Call ended by the other participant in the call." },
        { 200, 4521, "Call ended by the other participant in a peer-to-peer call." },
        { 200, 5000, "Removed from the conversation by another participant." },
        { 200, 5001, "The conversation has ended." },
        { 200, 5002, "The conversation ended because all other participants left the call." },
        { 200, 5003, "The conversation has ended." },
        { 200, 5007, "The conversation ended when the group call's initiator left the conversation." },
        { 200, 5010, "The conversation ended because only one participant remained in the conversation." },
        { 200, 5012, "The conversation ended because there were no participants in the incoming roster." },
        { 200, 5013, "The conversation ended because nobody else joined the group call." },
        { 200, 5014, "The conversation ended because no potential host could be found for the group call." },
        { 200, 5020, "The conversation ended because there were no unmasked participants in the incoming roster." },
        { 200, 5030, "The conversation ended because the breakout room's duration elapsed." },
        { 200, 5300, "The participant was removed from the conversation by another participant." },
        { 200, 5855, "The participant waiting in the lobby was removed after the lobby's inactivity timeout expired." },
        { 200, 7000, "The conversation was ended by the bot." },
        { 200, 7015, "The call ended because the transfer completed successfully." },
        { 200, 10550, "The conversation was ended by the bot." },
        { 200, 18503, "The other participant in the peer-to-peer call left the conversation." },
        { 200, 540000, "Call ended by the PSTN user." },
        { 200, 560000, "Call ended by the PSTN user." },
        { 408, 8537, "Keep-alive timeout: the inactive call was cleaned up." },
        { 408, 1106, "No acknowledgement of the call acceptance was received in time." },
        { 408, 10057, "The call timed out because the called endpoints sent no signaling." },
        { 410, 301005, "Media connectivity failure." },
        { 480, 10037, "No called endpoint was found." },
        { 480, 10076, "The callee could not be reached." },
        { 480, 10134, "Call rejected because it could not be routed." },
        { 480, 10199, "Call rejected because private calling is disabled for the user." },
        { 500, 1005, "The server hit a connectivity error with the bot's media. Check media connectivity between the bot and Microsoft." },
    };

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void EveryRowOfTheDocumentedTableIsDescribedWithItsMotifInEnglish(int code, int subcode, string meaning)
    {
        Assert.Equal(meaning, TerminationCodes.Describe(code, subcode));
    }

    [Fact]
    public void TheCatalogHoldsExactlyTheThirtyPairsOfTheTableAndTheTransfersEnd()
    {
        var seed = SeedTable.Select(row => ((int)row[0], (int)row[1])).ToHashSet();
        // call-transfer.md: the bot's leg of a transferred call ends with 0/7015, which the seeds' table does not hold.
        seed.Add((0, 7015));

        Assert.Equal(31, seed.Count);
        Assert.Equal(31, TerminationCodes.All.Count);
        Assert.True(seed.SetEquals(TerminationCodes.All.Keys));
        Assert.Equal("The call was transferred: the bot's part ended when the transfer completed.", TerminationCodes.Describe(0, 7015));
    }

    [Fact]
    public void BothPstnSubcodesShareOneMeaning()
    {
        Assert.Equal("Call ended by the PSTN user.", TerminationCodes.Describe(200, 540000));
        Assert.Equal("Call ended by the PSTN user.", TerminationCodes.Describe(200, 560000));
    }

    [Theory]
    [InlineData(200, 4097, "Call ended by the other participant in the call.")]
    [InlineData(200, 5001, "The conversation has ended.")]
    [InlineData(200, 5002, "The conversation ended because all other participants left the call.")]
    [InlineData(408, 8537, "Keep-alive timeout: the inactive call was cleaned up.")]
    [InlineData(410, 301005, "Media connectivity failure.")]
    [InlineData(480, 10199, "Call rejected because private calling is disabled for the user.")]
    public void DescribesDocumentedCodesInEnglish(int code, int subcode, string meaning)
    {
        Assert.Equal(meaning, TerminationCodes.Describe(code, subcode));
    }

    [Theory]
    [InlineData(200, 9999)]
    [InlineData(999, 4097)]
    [InlineData(408, 4097)]
    [InlineData(0, 0)]
    [InlineData(-1, -1)]
    [InlineData(200, null)]
    [InlineData(null, 5001)]
    public void AnUnknownOrIncompletePairIsUndocumented(int? code, int? subcode)
    {
        Assert.Equal("Undocumented code", TerminationCodes.Describe(code, subcode));
    }

    [Fact]
    public void NoCodeAndNoSubcodeMeansTheCallEndedWithoutResultInfo()
    {
        Assert.Equal("No resultInfo: the call ended without a reason (as after a reject)", TerminationCodes.Describe(null, null));
    }
}
