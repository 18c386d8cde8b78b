using System.Text.Json;
using System.Text.Json.Nodes;
using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Operators.DashboardPage;
using CallFunctions.Records;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.Tests.Rules;

namespace CallFunctions.Tests.Calls;

/// <summary>
/// Every action walked through every fact its declaration (<see cref="Actions"/>) holds, as the code that reads each
/// fact applies it: the stage the evaluator lets it decide at, the bot out of the call after it, its claim, what the
/// webhook answers, its columns, its text, its series on the page. An action no declaration knows throws.
/// </summary>
public sealed class ActionsTests
{
    public static TheoryData<RuleAction> Every => [.. Enum.GetValues<RuleAction>()];

    /// <summary>A value for each payload column, as a person would type it: a new column needs one here.</summary>
    private static readonly Dictionary<string, object> Samples = new()
    {
        ["Reason"] = "Busy",
        ["Target"] = "+1 425-555-0100",
        ["Timeout"] = 20,
        ["Key"] = "#",
        ["Prompt"] = "https://contoso.example/screen.wav",
        ["Remember"] = "30d",
    };

    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Azure.Data.Tables.TableEntity Row(RuleAction action, string name = "r")
    {
        var row = Rows.Rule(name, 10, action.ToString(), caller: "+14255550123");
        foreach (var column in Actions.Of(action).Columns) row[column] = Samples[column];
        return row;
    }

    [Fact]
    public void EveryActionIsDeclaredOnceAndAnUndeclaredOneThrows()
    {
        Assert.Equal(Enum.GetValues<RuleAction>().Order(), Actions.All.Select(a => a.Action).Order());
        foreach (var action in Enum.GetValues<RuleAction>()) Assert.Equal(action, Actions.Of(action).Action);

        var unknown = (RuleAction)99;
        Assert.Throws<ArgumentOutOfRangeException>(() => Actions.Of(unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionClaims.Key(unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecidedAction(unknown).ToString());
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void TheEvaluatorDecidesAnActionAtTheStagesItIsDeclaredForOnly(RuleAction action)
    {
        var rules = Evaluate.Rules(Row(action));
        foreach (var stage in new[] { CallStage.Incoming, CallStage.Active })
        {
            var decision = RuleEvaluator.Evaluate(rules, Evaluate.Call(), stage, RuleAction.Allow, Noon);
            Assert.Equal(Actions.Of(action).AppliesAtStage(stage) ? "r" : null, decision.Rule);
            Assert.Equal(Actions.Of(action).AppliesAtStage(stage) && Actions.Of(action).ClaimKey is not null, rules.ActsAt(stage) && decision.Rule is not null);
        }
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void ARecordSaysTheCallEndedForTheBotExactlyWhenItsActionLeavesTheCall(RuleAction action)
    {
        var rule = Evaluate.Rules(Row(action)).Rules.Single();
        var decision = new Decision(action, rule.Payload, rule.Name);
        var record = CallRecord.From(CallRecord.Decision("c1", Evaluate.Call(), null, Noon, decision, new GraphResult(202, 1), Noon));

        Assert.Equal(Actions.Of(action).LeavesCall, record.HasEnded);
        Assert.Equal(action, record.Decided!.Action);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void AnActionSentToGraphHasAClaimKeyOfItsOwnAndTheOthersAreNeverClaimed(RuleAction action)
    {
        var declared = Actions.Of(action);
        if (declared.ClaimKey is null)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ActionClaims.Key(action));
            return;
        }
        Assert.Equal(declared.ClaimKey, ActionClaims.Key(action));
        Assert.StartsWith("claim-", declared.ClaimKey, StringComparison.Ordinal);
        // No claim key starts another's: a challenge's steps are read as the rows that start with its own.
        Assert.DoesNotContain(Actions.All, a => a.ClaimKey is { } other && other != declared.ClaimKey && other.StartsWith(declared.ClaimKey, StringComparison.Ordinal));
        Assert.Single(Actions.All, a => a.ClaimKey == declared.ClaimKey);
    }

    [Fact]
    public void EachActionAnswersAnOutcomeOfItsOwn() =>
        Assert.Equal(Actions.All.Count, Actions.All.Select(a => a.Outcome).Distinct().Count());

    [Theory]
    [MemberData(nameof(Every))]
    public void AnActionsColumnsAreReadAsRuleColumnsAndRefusedOnEveryOtherAction(RuleAction action)
    {
        foreach (var column in Actions.Of(action).Columns)
        {
            Assert.Contains(column, RuleRow.Columns);
            Assert.NotNull(RuleRow.Parse(Row(action)).Rule);
            foreach (var other in Actions.All.Where(a => !a.Columns.Contains(column)))
            {
                var row = Row(other.Action);
                row[column] = Samples[column];
                var error = RuleRow.Parse(row).Error;
                Assert.NotNull(error);
                Assert.Equal(column, error.Column);
                Assert.Contains($"applies only to {Actions.Names(Actions.Owning(column), "and")} rules", error.Why, StringComparison.Ordinal);
                Assert.Contains(action.ToString(), Actions.Names(Actions.Owning(column), "and"), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void AnActionsTextIsHowRecordsAndWhatIfSpellIt(RuleAction action)
    {
        var rule = Evaluate.Rules(Row(action)).Rules.Single();
        var taken = new Decision(action, rule.Payload, rule.Name).Taken;
        var record = CallRecord.Decision("c1", Evaluate.Call(), null, Noon, new Decision(action, rule.Payload, rule.Name), null, Noon);

        Assert.StartsWith(action.ToString(), taken.ToString(), StringComparison.Ordinal);
        // What the action carries is recorded under its own columns, those its declaration lists.
        foreach (var (column, value) in rule.Payload?.Recorded ?? [])
        {
            Assert.Contains(column, Actions.Of(action).Columns);
            Assert.Equal(value, record[column]);
        }
        Assert.Equal(taken, CallRecord.From(record).Decided!.Taken);
        Assert.Equal(JsonSerializer.Serialize(taken.ToString()), JsonSerializer.Serialize(taken));
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void AnActionIsCountedInItsSeriesOnThePage(RuleAction action)
    {
        var rule = Evaluate.Rules(Row(action)).Rules.Single();
        var record = CallRecord.From(CallRecord.Decision("c1", Evaluate.Call(), null, Noon,
            new Decision(action, rule.Payload, rule.Name), null, Noon));
        var data = DashboardData.Build([record], Noon.AddHours(-1), Noon.AddHours(1), new RulesView("Rules", Noon, null, []));
        var json = JsonNode.Parse(JsonSerializer.Serialize(data, JsonSerializerOptions.Web))!;

        var declared = Actions.Of(action);
        Assert.Equal(1, json["totals"]![declared.Series]!.GetValue<int>());
        Assert.Equal(1, json["buckets"]!.AsArray().Sum(b => b![declared.Series]!.GetValue<int>()));
        Assert.Contains(json["actions"]!.AsArray(), a => a!["series"]!.GetValue<string>() == declared.Series
            && a["label"]!.GetValue<string>() == declared.Label && a["action"]!.GetValue<string>() == action.ToString());
        Assert.Equal(RuleRow.Columns, json["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
    }
}
