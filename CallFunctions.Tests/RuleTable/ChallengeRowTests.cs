using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;
using CallFunctions.Rules;
using CallFunctions.RuleTable;

namespace CallFunctions.Tests.RuleTable;

/// <summary>A Challenge rule's columns (Target, Key, Timeout, Prompt, Remember) as people type them, and every bad value named.</summary>
public sealed class ChallengeRowTests
{
    private const string User = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";

    private static TableEntity Row(params (string Column, object Value)[] columns)
    {
        var row = new TableEntity("default", "screen") { ["Priority"] = 1, ["Action"] = "Challenge", ["Target"] = $"user:{User}" };
        foreach (var (column, value) in columns) row[column] = value;
        return row;
    }

    [Fact]
    public void ReadsTheDefaultsOfAChallengeThatNamesOnlyItsTarget()
    {
        var (rule, error) = RuleRow.Parse(Row());

        Assert.Null(error);
        var terms = rule!.PayloadAs<ChallengeTerms>();
        Assert.Equal((new Identity("user", User), "1", 15, null, null), (terms.Target, terms.Key, terms.TimeoutSeconds, terms.Prompt, terms.Remember));
        Assert.Equal(("tone1", "press-1", true), (terms.Tone, terms.PromptOrDefault, terms.PromptIsServed));
        Assert.Equal($"Challenge, then to user:{User}", rule.ActionText);
        // A challenge answers peer-to-peer calls only.
        Assert.Equal(CallType.PeerToPeer, rule.CallType);
    }

    [Theory]
    [InlineData("#", "pound", "press-pound")]
    [InlineData("*", "star", "press-star")]
    [InlineData(" 0 ", "tone0", "press-0")]
    public void ReadsEachKindOfKeyWithItsToneAndPrompt(string key, string tone, string prompt)
    {
        var (rule, error) = RuleRow.Parse(Row(("Key", key), ("Timeout", 60), ("Remember", "12h"), ("Prompt", "https://contoso.example/screen.wav")));

        Assert.Null(error);
        var terms = rule!.PayloadAs<ChallengeTerms>();
        Assert.Equal((tone, 60, TimeSpan.FromHours(12)), (terms.Tone, terms.TimeoutSeconds, terms.Remember));
        Assert.Equal(("https://contoso.example/screen.wav", false), (terms.PromptOrDefault, terms.PromptIsServed));
        Assert.Equal(prompt, (terms with { Prompt = null }).PromptOrDefault);
    }

    [Theory]
    [InlineData("CallType", "Group", "CallType", "cannot be Group on a Challenge rule: a challenge answers peer-to-peer calls only")]
    [InlineData("Reason", "Busy", "Reason", "applies only to Reject rules, and this rule's Action is Challenge")]
    [InlineData("Target", "+14255550100, +14255550101", "Target", "holds 2 targets: a Challenge rule transfers the call to exactly one")]
    [InlineData("Key", "12", "Key", "must be one key: 0 to 9, * or #")]
    [InlineData("Key", "A", "Key", "must be one key: 0 to 9, * or #")]
    [InlineData("Timeout", "4", "Timeout", "must be from 5 to 60 seconds for a Challenge rule: the time the caller has to press the key")]
    [InlineData("Timeout", "61", "Timeout", "must be from 5 to 60 seconds for a Challenge rule: the time the caller has to press the key")]
    [InlineData("Prompt", "http://contoso.example/screen.wav", "Prompt", "must be https: Graph fetches prompts over https only, not http")]
    [InlineData("Prompt", "no such prompt", "Prompt", "must name a served prompt (letters, digits, - and _, as press-1) or be an https URL")]
    [InlineData("Remember", "30m", "Remember", "must be a duration from 1h to 365d, in hours (12h) or days (30d); empty: never")]
    [InlineData("Remember", "366d", "Remember", "must be a duration from 1h to 365d, in hours (12h) or days (30d); empty: never")]
    public void NamesEachBadColumnOfAChallengeRule(string column, string value, string named, string why)
    {
        var (rule, error) = RuleRow.Parse(Row((column, value)));

        Assert.Null(rule);
        Assert.Equal(named, error!.Column);
        Assert.Equal(why, error.Why);
    }

    [Fact]
    public void AChallengeWithoutATargetIsNamed()
    {
        var row = Row();
        row.Remove("Target");

        var (_, error) = RuleRow.Parse(row);

        Assert.Equal(("Target", "is missing: a Challenge rule connects a caller who passes to one target, phone:+E164, user:<id> or applicationInstance:<id>"), (error!.Column, error.Why));
    }

    [Fact]
    public void AServedPromptMustBeOneTheAppServes()
    {
        var (_, error) = RuleRow.Parse(Row(("Prompt", "welcome")));

        Assert.Equal("Prompt", error!.Column);
        Assert.StartsWith("names no served prompt: the app serves press-0, press-1,", error.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryShippedPromptIsInGraphsFormatAndABadFileIsNamed()
    {
        var shipped = PromptFiles.Load(Repo.Path("CallFunctions", "Prompts"));

        Assert.Equal(12, shipped.All.Count());
        Assert.All(shipped.All, p => Assert.Null(p.Error));
        var wav = File.ReadAllBytes(Repo.Path("CallFunctions", "Prompts", "press-1.wav"));
        var stereo = (byte[])wav.Clone();
        stereo[22] = 2; // channels
        Assert.Equal("it is PCM, 16000 Hz, 16-bit, 2 channel(s); Graph plays WAV, 16 kHz, 16-bit, mono PCM", PromptFiles.Check(stereo));
        var rate = (byte[])wav.Clone();
        BitConverter.TryWriteBytes(rate.AsSpan(24), 8000);
        Assert.Equal("it is PCM, 8000 Hz, 16-bit, 1 channel(s); Graph plays WAV, 16 kHz, 16-bit, mono PCM", PromptFiles.Check(rate));
        Assert.Equal("it is not a WAV file (Graph plays WAV, 16 kHz, 16-bit, mono PCM)", PromptFiles.Check("ID3 mp3"u8));
    }

    [Fact]
    public void ChallengeCannotBeTheDefaultAction()
    {
        var options = new RulesOptions { DefaultAction = RuleAction.Challenge };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.StartsWith("Rules__DefaultAction cannot be Challenge", StringComparison.Ordinal));
    }
}
