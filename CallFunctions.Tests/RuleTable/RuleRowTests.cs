using System.Text.RegularExpressions;
using Azure.Data.Tables;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.Calls;

namespace CallFunctions.Tests.RuleTable;

public sealed class RuleRowTests
{
    [Fact]
    public void ParsesAFullRow()
    {
        var row = new TableEntity("632899f8-2ea1-4604-8413-27bd2892079f", "block-uk")
        {
            ["Priority"] = 10,
            ["Enabled"] = false,
            ["Action"] = "Reject",
            ["Reason"] = "Forbidden",
            ["Caller"] = "+44*",
            ["Callee"] = @"re:^\+1425",
            ["CallType"] = "Group",
        };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(error);
        Assert.NotNull(rule);
        Assert.Equal("632899f8-2ea1-4604-8413-27bd2892079f", rule.Scope);
        Assert.Equal("block-uk", rule.Name);
        Assert.Equal(10, rule.Priority);
        Assert.False(rule.Enabled);
        Assert.Equal(RuleAction.Reject, rule.Action);
        Assert.Equal(RejectReason.Forbidden, rule.PayloadAs<Rejection>().Reason);
        Assert.Equal("+44*", rule.Caller!.Text);
        Assert.Equal(@"re:^\+1425", rule.Callee!.Text);
        Assert.Equal(CallType.Group, rule.CallType);
    }

    [Fact]
    public void AppliesDefaultsToAMinimalRow()
    {
        var (rule, error) = RuleRow.Parse(new TableEntity("default", "catch-all") { ["Priority"] = 1, ["Action"] = "HangUp" });

        Assert.Null(error);
        Assert.Equal(new Rule("default", "catch-all", 1, true, RuleAction.HangUp, null, null, null, CallType.Any), rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BlankOptionalColumnsTakeTheirDefaults(string blank)
    {
        var row = new TableEntity("default", "r")
        {
            ["Priority"] = 1, ["Action"] = "Reject", ["Enabled"] = blank, ["Reason"] = blank,
            ["Caller"] = blank, ["Callee"] = blank, ["CallType"] = blank,
        };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(error);
        Assert.Equal(new Rule("default", "r", 1, true, RuleAction.Reject, null, null, null, CallType.Any), rule);
    }

    [Fact]
    public void NullOptionalColumnsTakeTheirDefaults()
    {
        var row = new TableEntity("default", "r")
        {
            ["Priority"] = 1, ["Action"] = "Reject", ["Enabled"] = null, ["Reason"] = null,
            ["Caller"] = null, ["Callee"] = null, ["CallType"] = null,
        };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(error);
        Assert.Equal(new Rule("default", "r", 1, true, RuleAction.Reject, null, null, null, CallType.Any), rule);
    }

    public static TheoryData<object, int> Priorities => new()
    {
        { 7, 7 },
        { 7L, 7 },
        { -3L, -3 },
        { (long)int.MaxValue, int.MaxValue },
        { "7", 7 },
        { " 42 ", 42 },
        { "-5", -5 },
    };

    [Theory]
    [MemberData(nameof(Priorities))]
    public void ReadsPriorityAsInt32Int64OrNumericString(object priority, int expected)
    {
        var (rule, _) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = priority, ["Action"] = "Allow" });

        Assert.Equal(expected, rule!.Priority);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    public void ReadsEnabledAsBooleanOrString(object enabled, bool expected)
    {
        var (rule, _) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Allow", ["Enabled"] = enabled });

        Assert.Equal(expected, rule!.Enabled);
    }

    [Theory]
    [InlineData("Reject", RuleAction.Reject)]
    [InlineData("reject", RuleAction.Reject)]
    [InlineData("REJECT", RuleAction.Reject)]
    [InlineData(" Reject ", RuleAction.Reject)]
    [InlineData("hangup", RuleAction.HangUp)]
    [InlineData("HangUp", RuleAction.HangUp)]
    [InlineData("allow", RuleAction.Allow)]
    public void ReadsActionCaseInsensitively(string action, RuleAction expected)
    {
        var (rule, _) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = action });

        Assert.Equal(expected, rule!.Action);
    }

    [Theory]
    [InlineData("none", RejectReason.None)]
    [InlineData("BUSY", RejectReason.Busy)]
    [InlineData("forbidden", RejectReason.Forbidden)]
    public void ReadsReasonCaseInsensitively(string reason, RejectReason expected)
    {
        var (rule, _) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Reject", ["Reason"] = reason });

        Assert.Equal(expected, rule!.PayloadAs<Rejection>().Reason);
    }

    [Theory]
    [InlineData("any", CallType.Any)]
    [InlineData("peertopeer", CallType.PeerToPeer)]
    [InlineData("GROUP", CallType.Group)]
    public void ReadsCallTypeCaseInsensitively(string callType, CallType expected)
    {
        var (rule, _) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Allow", ["CallType"] = callType });

        Assert.Equal(expected, rule!.CallType);
    }

    [Fact]
    public void AMissingActionIsAnError()
    {
        var (rule, error) = RuleRow.Parse(new TableEntity("default", "no-action") { ["Priority"] = 1, ["Caller"] = "+1*" });

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "no-action", "Action", null, "is missing (Reject, Redirect, Challenge, HangUp or Allow)"), error);
        Assert.Equal("default/no-action: column Action: is missing (Reject, Redirect, Challenge, HangUp or Allow)", error!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ABlankActionIsMissing(string action)
    {
        var (_, error) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = action });

        Assert.Equal(new RowError("default", "r", "Action", null, "is missing (Reject, Redirect, Challenge, HangUp or Allow)"), error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AMissingPriorityIsAnError(string? priority)
    {
        var row = new TableEntity("t-1", "no-priority") { ["Action"] = "Reject" };
        if (priority is not null) row["Priority"] = priority;

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.Equal(new RowError("t-1", "no-priority", "Priority", null, "is missing (an Int32; lower runs first)"), error);
    }

    [Theory]
    [InlineData("Block")]
    [InlineData("Rejekt")]
    [InlineData("Hang Up")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("2")]
    [InlineData("+1")]
    [InlineData("-0")]
    [InlineData("Allow, Reject")]
    [InlineData("Reject,HangUp")]
    public void AnUnknownOrNumericActionIsAnError(string action)
    {
        var (rule, error) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = action });

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "r", "Action", action, "must be one of Allow, Reject, HangUp, Redirect, Challenge"), error);
    }

    [Theory]
    [InlineData("HangUp", "Busy")]
    [InlineData("HangUp", "None")]
    [InlineData("Allow", "Forbidden")]
    public void AReasonOnARuleThatIsNotRejectIsAnError(string action, string reason)
    {
        var (rule, error) = RuleRow.Parse(new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = action, ["Reason"] = reason });

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "r", "Reason", reason, $"applies only to Reject rules, and this rule's Action is {action}"), error);
    }

    [Theory]
    [InlineData("Reason", "Rude", "must be one of None, Busy, Forbidden")]
    [InlineData("Reason", "1", "must be one of None, Busy, Forbidden")]
    [InlineData("CallType", "Conference", "must be one of Any, PeerToPeer, Group")]
    [InlineData("CallType", "P2P", "must be one of Any, PeerToPeer, Group")]
    [InlineData("CallType", "2", "must be one of Any, PeerToPeer, Group")]
    [InlineData("Enabled", "yes", "must be a Boolean (true or false)")]
    [InlineData("Enabled", "1", "must be a Boolean (true or false)")]
    [InlineData("Priority", "first", "must be an Int32")]
    [InlineData("Priority", "1.5", "must be an Int32")]
    [InlineData("Priority", "99999999999", "must be an Int32")]
    public void AnUnreadableStringColumnIsAnErrorNamingItsValue(string column, string value, string why)
    {
        var row = new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Reject", [column] = value };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "r", column, value, why), error);
    }

    public static TheoryData<string, object, string, string> WrongTypes => new()
    {
        { "Caller", 14255550123L, "14255550123", "must be a String" },
        { "Callee", 42, "42", "must be a String" },
        { "Caller", true, "True", "must be a String" },
        { "Priority", 1.5, "1.5", "must be an Int32" },
        { "Priority", 5_000_000_000L, "5000000000", "must be an Int32" },
        { "Priority", true, "True", "must be an Int32" },
        { "Enabled", 1, "1", "must be a Boolean (true or false)" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void AColumnOfTheWrongTypeIsAnError(string column, object value, string text, string why)
    {
        var row = new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Reject", [column] = value };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "r", column, text, why), error);
    }

    [Theory]
    [InlineData("Caller")]
    [InlineData("Callee")]
    public void ABadRegexInAPatternColumnIsAnError(string column)
    {
        var parser = Assert.ThrowsAny<ArgumentException>(() => new Regex("^(+44"));
        var row = new TableEntity("default", "bad-regex") { ["Priority"] = 1, ["Action"] = "Reject", [column] = "re:^(+44" };

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.Equal(new RowError("default", "bad-regex", column, "re:^(+44", "bad regular expression: " + parser.Message), error);
    }

    [Fact]
    public void APatternColumnOfOnlyCommasIsAnError()
    {
        var row = new TableEntity("default", "r") { ["Priority"] = 1, ["Action"] = "Reject", ["Callee"] = ", ," };

        var (_, error) = RuleRow.Parse(row);

        Assert.Equal(new RowError("default", "r", "Callee", ", ,", "the pattern has no terms"), error);
    }

    [Fact]
    public void AnErrorNamesTheKeysColumnAndValue()
    {
        var (_, error) = RuleRow.Parse(new TableEntity("default", "typo") { ["Priority"] = 1, ["Action"] = "Rejekt" });

        Assert.Equal("default/typo: column Action = \"Rejekt\": must be one of Allow, Reject, HangUp, Redirect, Challenge", error!.ToString());
    }
}
