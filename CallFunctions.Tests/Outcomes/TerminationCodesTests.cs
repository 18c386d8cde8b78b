using CallFunctions.Outcomes;

namespace CallFunctions.Tests.Outcomes;

public sealed class TerminationCodesTests
{
    // The "Codes de motif de fin d'appel" table of the call-delete page (shared/seeds/call-delete.fr.txt), one row per pair;
    // its row "200 540000/560000" is two pairs.
    public static TheoryData<int, int> SeedTable => new()
    {
        { 200, 4097 }, { 200, 4521 }, { 200, 5000 }, { 200, 5001 }, { 200, 5002 }, { 200, 5003 }, { 200, 5007 },
        { 200, 5010 }, { 200, 5012 }, { 200, 5013 }, { 200, 5014 }, { 200, 5020 }, { 200, 5030 }, { 200, 5300 },
        { 200, 5855 }, { 200, 7000 }, { 200, 7015 }, { 200, 10550 }, { 200, 18503 }, { 200, 540000 }, { 200, 560000 },
        { 408, 8537 }, { 408, 1106 }, { 408, 10057 },
        { 410, 301005 },
        { 480, 10037 }, { 480, 10076 }, { 480, 10134 }, { 480, 10199 },
        { 500, 1005 },
    };

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void EveryRowOfTheDocumentedTableHasAnEnglishMeaning(int code, int subcode)
    {
        Assert.True(TerminationCodes.All.TryGetValue((code, subcode), out var meaning), $"{code}/{subcode} is missing");
        Assert.False(string.IsNullOrWhiteSpace(meaning));
        Assert.Equal(meaning, TerminationCodes.Describe(code, subcode));
    }

    [Fact]
    public void TheCatalogHoldsExactlyTheThirtyPairsOfTheTable()
    {
        var seed = SeedTable.Select(row => ((int)row[0], (int)row[1])).ToHashSet();

        Assert.Equal(30, seed.Count);
        Assert.Equal(30, TerminationCodes.All.Count);
        Assert.True(seed.SetEquals(TerminationCodes.All.Keys));
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
