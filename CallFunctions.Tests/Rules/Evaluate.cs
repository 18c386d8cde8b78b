using Azure.Data.Tables;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Rules;

/// <summary>The pure evaluator on rows typed as in the table, for plain [Theory] tests.</summary>
internal static class Evaluate
{
    public static Party Phone(string number) => new([new Identity("phone", number)]);

    public static CallContext Call(Party? caller = null, Party? callee = null, bool group = false, IReadOnlyList<CallRoute>? routes = null) =>
        new("tenant", caller ?? Phone("+14255550123"), [callee ?? new Party([new Identity("applicationInstance", Notify.BotInstance)])],
            group, routes ?? []);

    public static RuleSet Rules(params TableEntity[] rows) =>
        new([.. rows.Select(r => RuleRow.Parse(r).Rule ?? throw new InvalidOperationException(RuleRow.Parse(r).Error!.ToString()))]);

    public static string? Rule(DateTimeOffset now, CallContext call, params TableEntity[] rows) =>
        RuleEvaluator.Evaluate(Rules(rows), call, CallStage.Incoming, RuleAction.Allow, now).Rule;

    public static bool Matches(TableEntity row, string utc, CallContext? call = null) =>
        Rule(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), call ?? Call(), row) is not null;
}
