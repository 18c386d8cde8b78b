using System.Text.RegularExpressions;
using CallFunctions.Rules;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Rules;

public sealed class PatternTests
{
    [Theory]
    [InlineData("+14255550123", "+14255550123", true)]
    [InlineData("+1 (425) 555-0123", "+14255550123", true)]
    [InlineData("+14255550123", "+1 (425) 555-0123", true)]
    [InlineData("+1.425.555.0123", "+14255550123", true)]
    [InlineData("tel:+14255550123", "+14255550123", true)]
    [InlineData("+14255550123", "tel:+1-425-555-0123", true)]
    [InlineData("TEL:+1 425 555 0123", "+14255550123", true)]
    [InlineData("  +14255550123  ", "+14255550123", true)]
    [InlineData("+14255550123", "+14255550124", false)]
    [InlineData("+14255550123", "+1425555012", false)]
    [InlineData("+14255550123", "+142555501234", false)]
    [InlineData("+14255550123", "14255550123", false)]
    public void AnExactTermIgnoresSpacesDashesDotsParenthesesAndTelPrefix(string pattern, string id, bool matches)
    {
        Assert.Equal(matches, Pattern.Parse(pattern).Matches(Id(id)));
    }

    [Theory]
    [InlineData("+1800*", "+18005550100", true)]
    [InlineData("+1800*", "+1800", true)]
    [InlineData("+1800*", "tel:+1 (800) 555-0100", true)]
    [InlineData("+1 800*", "+18005550100", true)]
    [InlineData("tel:+1-800*", "+18005550100", true)]
    [InlineData("+1800*", "+14255550123", false)]
    [InlineData("+1800*", "+180", false)]
    [InlineData("+*", "+442071234567", true)]
    [InlineData("+*", "550fae72-d251-43ec-868c-373732c2704f", false)]
    [InlineData("550FAE72*", "550fae72-d251-43ec-868c-373732c2704f", true)]
    public void APrefixTermEndsWithAStar(string pattern, string id, bool matches)
    {
        Assert.Equal(matches, Pattern.Parse(pattern).Matches(Id(id)));
    }

    [Theory]
    [InlineData(@"re:^\+44", "+442071234567", true)]
    [InlineData(@"re:^\+44", "+14255550123", false)]
    [InlineData(@"RE:^\+44", "+442071234567", true)]
    [InlineData("re:^abc", "ABCDEF", true)]
    [InlineData("re:^ABC", "abcdef", true)]
    [InlineData(@"re:^\+1 425", "+1 425 555 0123", true)]
    [InlineData(@"re:^\+1 425", "+14255550123", false)]
    [InlineData(@"re:^\+1425", "+1 425 555 0123", false)]
    [InlineData(@"re:^tel:", "tel:+14255550123", true)]
    [InlineData(@"re:\d{4}$", "+14255550123", true)]
    public void ARegexTermIsCaseInsensitiveAndMatchedAgainstTheRawId(string pattern, string id, bool matches)
    {
        Assert.Equal(matches, Pattern.Parse(pattern).Matches(Id(id)));
    }

    [Theory]
    [InlineData("+14255550123", true)]
    [InlineData("+18005550100", true)]
    [InlineData("+442071234567", true)]
    [InlineData("550fae72-d251-43ec-868c-373732c2704f", true)]
    [InlineData("+14255550124", false)]
    [InlineData("+33123456789", false)]
    public void ACommaListMatchesWhenAnyTermMatches(string id, bool matches)
    {
        var pattern = Pattern.Parse(@"+1 425 555 0123, +1800*,re:^\+44 ,550FAE72-D251-43EC-868C-373732C2704F");

        Assert.Equal(matches, pattern.Matches(Id(id)));
    }

    [Theory]
    [InlineData("+1425", true)]
    [InlineData("+142555", true)]
    [InlineData("+1425555", false)]
    [InlineData("+142", false)]
    [InlineData("+4412", true)]
    public void ACommaInsideARegexQuantifierDoesNotSplitTheTerm(string id, bool matches)
    {
        var pattern = Pattern.Parse(@"re:^\+1\d{3,5}$,+44*");

        Assert.Equal(matches, pattern.Matches(Id(id)));
        Assert.False(pattern.HasOnlyExactTerms);
    }

    [Theory]
    [InlineData("a,b", true)]
    [InlineData("c", true)]
    [InlineData("a", false)]
    public void ACommaInsideARegexGroupOrClassDoesNotSplitTheTerm(string id, bool matches)
    {
        var pattern = Pattern.Parse(@"re:^(a,b)$, re:^[c,]$");

        Assert.Equal(matches, pattern.Matches(Id(id)));
    }

    [Theory]
    [InlineData("(", true)]
    [InlineData("+14255550123", true)]
    public void AnOpeningParenthesisInsideACharacterClassDoesNotSwallowTheNextTerm(string id, bool matches)
    {
        var pattern = Pattern.Parse(@"re:^[(]$,+14255550123");

        Assert.Equal(matches, pattern.Matches(Id(id)));
    }

    [Theory]
    [InlineData("550fae72-d251-43ec-868c-373732c2704f", "550FAE72-D251-43EC-868C-373732C2704F")]
    [InlineData("550FAE72-D251-43EC-868C-373732C2704F", "550fae72-d251-43ec-868c-373732c2704f")]
    [InlineData("550fae72-D251-43ec-868C-373732c2704f", "550FAE72-d251-43EC-868c-373732C2704F")]
    public void GuidsCompareCaseInsensitively(string pattern, string id)
    {
        Assert.True(Pattern.Parse(pattern).Matches(Id(id)));
        Assert.False(Pattern.Parse(pattern).Matches(Id("550fae72-d251-43ec-868c-373732c2704e")));
    }

    [Fact]
    public void APartyMatchesWhenAnyOfItsIdentitiesMatches()
    {
        var pattern = Pattern.Parse("+14255550123");
        var party = new Party([new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"), new Identity("phone", "+1 425 555 0123")]);

        Assert.True(pattern.Matches(party));
        Assert.False(pattern.Matches(Party.None));
        Assert.False(pattern.Matches(new Party([new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50")])));
    }

    [Fact]
    public void AnIdentityWithoutAnIdMatchesNoPattern()
    {
        Assert.False(Pattern.Parse("*").Matches(new Party([new Identity("phone", "")])));
        Assert.False(Pattern.Parse("re:^$").Matches(new Party([new Identity("phone", "")])));
    }

    [Fact]
    public void ExactTermsAreKeptNormalizedForTheIndex()
    {
        var pattern = Pattern.Parse("tel:+1 (425) 555-0123, 550FAE72-D251");

        Assert.Equal(["+14255550123", "550FAE72D251"], pattern.ExactTerms);
        Assert.True(pattern.HasOnlyExactTerms);
        Assert.Equal("tel:+1 (425) 555-0123, 550FAE72-D251", pattern.Text);
        Assert.False(Pattern.Parse("+1425, +1800*").HasOnlyExactTerms);
        Assert.False(Pattern.Parse("+1425, re:x").HasOnlyExactTerms);
    }

    [Theory]
    [InlineData(@"re:^(\d+)+\1$")]
    [InlineData(@"re:^(?=\d)(\d+)+$")]
    [InlineData(@"re:^(?=.*)(1+)+(?<!1)$")]
    public void ACatastrophicRegexNeedingTheBacktrackingEngineTimesOutAfterATenthOfASecondAndCountsAsNoMatch(string text)
    {
        var pattern = Pattern.Parse(text);
        var input = new string('1', 5_000) + "x";

        // Checked before anything runs: without a timeout, or with a long one, the matches below would stall the run.
        var regex = Assert.Single(pattern.Regexes);
        Assert.False(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(TimeSpan.FromMilliseconds(100), regex.MatchTimeout);
        // The timeout does fire on this input (the backtracking would go on for ages), and the pattern answers no match.
        Assert.Throws<RegexMatchTimeoutException>(() => regex.IsMatch(input));
        Assert.False(pattern.Matches(Id(input)));
    }

    [Theory]
    [InlineData(@"re:^(\d+)\1$", "+1", false)]
    [InlineData(@"re:^(\d+)\1$", "4242", true)]
    [InlineData(@"re:^(\d+)\1$", "4243", false)]
    [InlineData(@"re:^(?!\+44)\+\d+$", "+14255550123", true)]
    [InlineData(@"re:^(?!\+44)\+\d+$", "+442071234567", false)]
    public void ARegexWithABackreferenceOrLookaroundStillMatches(string text, string id, bool matches)
    {
        Assert.Equal(matches, Pattern.Parse(text).Matches(Id(id)));
    }

    [Fact]
    public void ARegexAtTheMaximumLengthIsAccepted()
    {
        var pattern = Pattern.Parse("re:" + new string('a', Pattern.MaxRegexLength));

        Assert.True(pattern.Matches(Id(new string('A', Pattern.MaxRegexLength))));
    }

    [Fact]
    public void ARegexLongerThanTheMaximumThrows()
    {
        var error = Assert.Throws<FormatException>(() => Pattern.Parse("re:" + new string('a', Pattern.MaxRegexLength + 1)));

        Assert.Equal("the regular expression is longer than 500 characters", error.Message);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData("a{2,1}")]
    [InlineData("*a")]
    [InlineData(@"\")]
    [InlineData(@"(?<!\1)a")]
    public void ABadRegexThrowsWithTheRegexParsersMessage(string regex)
    {
        var expected = Assert.ThrowsAny<ArgumentException>(() => new Regex(regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));

        var error = Assert.Throws<FormatException>(() => Pattern.Parse("re:" + regex));

        Assert.Equal("bad regular expression: " + expected.Message, error.Message);
    }

    [Fact]
    public void ABadRegexInAListThrows()
    {
        Assert.Throws<FormatException>(() => Pattern.Parse("+1425*, re:^(+44"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",")]
    [InlineData(" , ,, ")]
    public void APatternWithoutTermsThrows(string text)
    {
        var error = Assert.Throws<FormatException>(() => Pattern.Parse(text));

        Assert.Equal("the pattern has no terms", error.Message);
    }

    [Theory]
    [InlineData("re:")]
    [InlineData("+1425, re:")]
    public void AnEmptyRegexThrows(string text)
    {
        var error = Assert.Throws<FormatException>(() => Pattern.Parse(text));

        Assert.Equal("re: is followed by no regular expression", error.Message);
    }

    /// <summary>A caller with one identity, as a notification would carry it.</summary>
    private static Party Id(string id) => new([new Identity("phone", id)]);
}
