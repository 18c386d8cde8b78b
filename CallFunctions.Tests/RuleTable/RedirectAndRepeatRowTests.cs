using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Rules;
using CallFunctions.RuleTable;

namespace CallFunctions.Tests.RuleTable;

/// <summary>The Target, Timeout and Repeat columns as people type them, and every bad value named as the app logs it.</summary>
public sealed class RedirectAndRepeatRowTests
{
    private const string User = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";
    private const string Instance = "7629bdce-046c-4903-86b4-a8f718277e1a";

    private static TableEntity Row(string action, params (string Column, object Value)[] columns)
    {
        var row = new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = action };
        foreach (var (column, value) in columns) row[column] = value;
        return row;
    }

    [Fact]
    public void ParsesARedirectRowWithItsTargetsAndTimeout()
    {
        var (rule, error) = RuleRow.Parse(Row("Redirect",
            ("Target", $"+1 425-555-0100, user:{User.ToUpperInvariant()}, applicationInstance:{Instance}"), ("Timeout", 30)));

        Assert.Null(error);
        Assert.Equal(RuleAction.Redirect, rule!.Action);
        Assert.Equal($"phone:+14255550100, user:{User}, applicationInstance:{Instance}", rule.PayloadAs<Redirection>().TargetText);
        Assert.Equal(30, rule.PayloadAs<Redirection>().TimeoutSeconds);
        Assert.Equal($"Redirect to phone:+14255550100, user:{User}, applicationInstance:{Instance}", rule.ActionText);
    }

    [Theory]
    [InlineData("+1 425-555-0100", "phone:+14255550100")]
    [InlineData("+1 (425) 555.0100", "phone:+14255550100")]
    [InlineData("phone:+442071838750", "phone:+442071838750")]
    [InlineData("PHONE: +33 1 42 68 53 00", "phone:+33142685300")]
    [InlineData("tel:+14255550100", "phone:+14255550100")]
    [InlineData("user:" + User, "phone:+14255550100, user:" + User)]
    [InlineData("applicationinstance:{" + Instance + "}", "phone:+14255550100, applicationInstance:" + Instance)]
    public void ReadsEachKindOfTarget(string target, string expected)
    {
        var text = expected.StartsWith("phone:+14255550100, ", StringComparison.Ordinal) ? "+14255550100, " + target : target;

        var (rule, error) = RuleRow.Parse(Row("Redirect", ("Target", text)));

        Assert.Null(error);
        Assert.Equal(expected, rule!.PayloadAs<Redirection>().TargetText);
        Assert.Null(rule.PayloadAs<Redirection>().TimeoutSeconds);
    }

    [Theory]
    [InlineData("15", 15)]
    [InlineData(" 90 ", 90)]
    public void ReadsATimeoutFrom15To90Seconds(string timeout, int expected)
    {
        var (rule, _) = RuleRow.Parse(Row("Redirect", ("Target", "+14255550100"), ("Timeout", timeout)));

        Assert.Equal(expected, rule!.PayloadAs<Redirection>().TimeoutSeconds);
    }

    private static readonly string TwentySix = string.Join(", ", Enumerable.Range(0, 26).Select(i => $"+1425555{i:0000}"));
    private static readonly string TwentyFive = string.Join(", ", Enumerable.Range(0, 25).Select(i => $"+1425555{i:0000}"));

    public static TheoryData<string, string, object?, string, string?, string> BadRows => new()
    {
        { "Redirect", "Target", null, "Target", null, "is missing: a Redirect rule needs one or more targets, phone:+E164, user:<id> or applicationInstance:<id>" },
        { "Redirect", "Target", " , ", "Target", " , ", "has no target: write phone:+E164, user:<id> or applicationInstance:<id>" },
        { "Redirect", "Target", "+1 425", "Target", "+1 425", "\"+1 425\" is not an E.164 number: + then the country code and number, 8 to 15 digits" },
        { "Redirect", "Target", "phone:14255550100", "Target", "phone:14255550100", "\"phone:14255550100\" is not an E.164 number: + then the country code and number, 8 to 15 digits" },
        { "Redirect", "Target", "+1425555010012345", "Target", "+1425555010012345", "\"+1425555010012345\" is not an E.164 number: + then the country code and number, 8 to 15 digits" },
        { "Redirect", "Target", "user:adele", "Target", "user:adele", "\"user:adele\" is not an id: a user id is the Entra object id, a GUID" },
        { "Redirect", "Target", "applicationInstance:", "Target", "applicationInstance:", "\"applicationInstance:\" is not an id: an applicationInstance id is the Entra object id, a GUID" },
        { "Redirect", "Target", "sip:adele@contoso.com", "Target", "sip:adele@contoso.com", "\"sip:adele@contoso.com\" is not a target: write phone:+E164, user:<id> or applicationInstance:<id>, or a number such as +1 425-555-0100" },
        { "Redirect", "Target", "reception", "Target", "reception", "\"reception\" is not a target: write phone:+E164, user:<id> or applicationInstance:<id>, or a number such as +1 425-555-0100" },
        { "Redirect", "Target", "+14255550100, phone:+1 425 555 0100", "Target", "+14255550100, phone:+1 425 555 0100", "names phone:+14255550100 twice" },
        { "Redirect", "Target", TwentySix, "Target", TwentySix, "has 26 targets: Graph rings at most 25 at once" },
        { "Redirect", "Target", 14255550100L, "Target", "14255550100", "must be a String" },
        { "Redirect", "Timeout", 14, "Timeout", "14", "must be from 15 to 90 seconds, as Graph allows" },
        { "Redirect", "Timeout", "91", "Timeout", "91", "must be from 15 to 90 seconds, as Graph allows" },
        { "Redirect", "Timeout", "30s", "Timeout", "30s", "must be an Int32" },
        { "Reject", "Target", "+14255550100", "Target", "+14255550100", "applies only to Redirect and Challenge rules, and this rule's Action is Reject" },
        { "Allow", "Target", "+14255550100", "Target", "+14255550100", "applies only to Redirect and Challenge rules, and this rule's Action is Allow" },
        { "HangUp", "Timeout", 30, "Timeout", "30", "applies only to Redirect and Challenge rules, and this rule's Action is HangUp" },
        { "Reject", "Repeat", "3", "Repeat", "3", "must be rings/window, e.g. 3/10m (the 3rd ring within 10 minutes) or 5/2h" },
        { "Reject", "Repeat", "3/30s", "Repeat", "3/30s", "must be rings/window, e.g. 3/10m (the 3rd ring within 10 minutes) or 5/2h" },
        { "Reject", "Repeat", "three/10m", "Repeat", "three/10m", "must be rings/window, e.g. 3/10m (the 3rd ring within 10 minutes) or 5/2h" },
        { "Reject", "Repeat", "1/10m", "Repeat", "1/10m", "counts from 2 to 100 rings (every ring is at least the 1st)" },
        { "Reject", "Repeat", "101/10m", "Repeat", "101/10m", "counts from 2 to 100 rings (every ring is at least the 1st)" },
        { "Reject", "Repeat", "3/0m", "Repeat", "3/0m", "has a window outside 1m to 24h" },
        { "Reject", "Repeat", "3/25h", "Repeat", "3/25h", "has a window outside 1m to 24h" },
        { "Reject", "Repeat", "3/1441m", "Repeat", "3/1441m", "has a window outside 1m to 24h" },
        { "HangUp", "Repeat", "3/10m", "Repeat", "3/10m", "counts the rings of ringing calls, so it applies to Reject, Redirect, Challenge and Allow rules, not HangUp" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void ABadTargetTimeoutOrRepeatIsAnErrorNamingItsColumnAndValue(string action, string column, object? value, string errorColumn,
        string? shown, string why)
    {
        var row = Row(action);
        if (action == "Redirect" && column != "Target") row["Target"] = "+14255550100";
        if (value is not null) row[column] = value;

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "r", errorColumn, shown, why), error);
        // rules validate, rules import and the dashboard's rules table read the row through the validator.
        var issue = Assert.Single(Assert.Single(RuleValidator.Validate([row])).Issues);
        Assert.Equal(new RowIssue(true, errorColumn, shown, why), issue);
    }

    [Fact]
    public void TwentyFiveTargetsAreAllowed()
    {
        var (rule, error) = RuleRow.Parse(Row("Redirect", ("Target", TwentyFive)));

        Assert.Null(error);
        Assert.Equal(25, rule!.PayloadAs<Redirection>().Targets.Count);
    }

    [Theory]
    [InlineData("3/10m", 3, 10)]
    [InlineData(" 2 / 1m ", 2, 1)]
    [InlineData("5/2h", 5, 120)]
    [InlineData("4/24H", 4, 1440)]
    [InlineData("100/1440m", 100, 1440)]
    public void ReadsARepeatAsRingsWithinAWindow(string repeat, int count, int minutes)
    {
        var (rule, error) = RuleRow.Parse(Row("Reject", ("Repeat", repeat), ("Caller", "+1425*")));

        Assert.Null(error);
        Assert.Equal(count, rule!.Repeat!.Count);
        Assert.Equal(TimeSpan.FromMinutes(minutes), rule.Repeat.Window);
        Assert.Equal(repeat.Trim(), rule.Repeat.Text);
    }

    [Fact]
    public void ARepeatOnAnAllowOrRedirectRuleIsAllowed()
    {
        Assert.Null(RuleRow.Parse(Row("Allow", ("Repeat", "2/5m"))).Error);
        Assert.Null(RuleRow.Parse(Row("Redirect", ("Repeat", "2/5m"), ("Target", "+14255550100"))).Error);
    }

    [Fact]
    public void TheNewColumnsAreRuleColumnsNotMisspellings()
    {
        var row = Row("Redirect", ("Target", "+14255550100"), ("Timeout", 20), ("Repeat", "2/5m"), ("target", "+14255550199"));

        var check = Assert.Single(RuleValidator.Validate([row]));

        var issue = Assert.Single(check.Issues);
        Assert.Equal(new RowIssue(false, "target", "+14255550199", "is ignored: column names are case-sensitive, did you mean Target?"), issue);
    }
}
