using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;
using CallFunctions.Rules;

namespace CallFunctions.RuleTable;

/// <summary>Reads a rules-table entity into a <see cref="Rule"/>, tolerating what people type in Storage Explorer.</summary>
public static class RuleRow
{
    /// <summary>The columns a rule reads, in the order docs/rules.md documents them and exports write them; the actions' own come from their declarations.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [
            "Priority", "Enabled", "Action", .. Actions.Columns, "Caller", "Callee", "CallType", "Repeat",
            "Days", "Hours", "Dates", "TimeZone", "Description",
        ];

    public static (Rule? Rule, RowError? Error) Parse(TableEntity row)
    {
        try
        {
            return (ParseOrThrow(row), null);
        }
        catch (BadColumn e)
        {
            return (null, new RowError(row.PartitionKey, row.RowKey, e.Column, e.Value, e.Message));
        }
    }

    private static Rule ParseOrThrow(TableEntity row)
    {
        var action = Enum<RuleAction>(row, "Action") ?? throw new BadColumn("Action", null, $"is missing ({Actions.Names(Actions.All)})");
        // A column that carries another action's payload is a mistake: the rule would ignore it.
        var declared = Actions.Of(action);
        foreach (var column in Actions.Columns.Where(c => !declared.Columns.Contains(c) && !string.IsNullOrWhiteSpace(Text(row, c))))
            throw new BadColumn(column, Text(row, column),
                $"applies only to {Actions.Names(Actions.Owning(column), "and")} rules, and this rule's Action is {action}");
        var payload = declared.ReadPayload(new RowColumns(row));
        if (payload is ChallengeTerms { PromptIsServed: true } terms && PromptFiles.Served.Refuses(terms.PromptOrDefault) is { } refused)
            throw new BadColumn("Prompt", terms.Prompt, refused);
        var callType = Enum<CallType>(row, "CallType") ?? CallType.Any;
        if (action == RuleAction.Challenge)
        {
            // The bot answers the call it challenges: a group call's invitation is not the caller's alone.
            if (callType == CallType.Group)
                throw new BadColumn("CallType", Text(row, "CallType"), "cannot be Group on a Challenge rule: a challenge answers peer-to-peer calls only");
            callType = CallType.PeerToPeer;
        }
        var repeat = StringColumn(row, "Repeat") is { } r ? Parsed("Repeat", r, Repeat.Parse) : null;
        if (repeat is not null && !declared.AppliesAtStage(CallStage.Incoming))
            throw new BadColumn("Repeat", Text(row, "Repeat"),
                $"counts the rings of ringing calls, so it applies to {Actions.Names(Actions.All.Where(a => a.AppliesAtStage(CallStage.Incoming)), "and")} rules, not {action}");

        return new Rule(
            Scope: row.PartitionKey,
            Name: row.RowKey,
            Priority: Int(row, "Priority") ?? throw new BadColumn("Priority", null, "is missing (an Int32; lower runs first)"),
            Enabled: Bool(row, "Enabled") ?? true,
            Action: action,
            Payload: payload,
            Caller: PatternColumn(row, "Caller", allowAnonymous: true),
            Callee: PatternColumn(row, "Callee", allowAnonymous: false),
            CallType: callType,
            Schedule: ScheduleColumns(row),
            Repeat: repeat);
    }

    private static Schedule? ScheduleColumns(TableEntity row)
    {
        var days = StringColumn(row, "Days") is { } d ? Parsed("Days", d, DaySet.Parse) : (DaySet?)null;
        var hours = StringColumn(row, "Hours") is { } h ? Parsed("Hours", h, HourRange.ParseList) : null;
        var dates = StringColumn(row, "Dates") is { } t ? Parsed("Dates", t, DateRange.ParseList) : null;
        var zone = StringColumn(row, "TimeZone") is { } z ? Parsed("TimeZone", z, TimeZones.Find) : null;
        if (days is null && hours is null && dates is null && zone is null) return null;
        return new Schedule(zone ?? TimeZoneInfo.Utc, days, hours, dates);
    }

    private static T Parsed<T>(string column, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new BadColumn(column, text, e.Message);
        }
    }

    /// <summary>A String column's text; null when absent or blank.</summary>
    private static string? StringColumn(TableEntity row, string column)
    {
        if (!row.TryGetValue(column, out var value) || value is null) return null;
        if (value is not string text) throw new BadColumn(column, Text(row, column), "must be a String");
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private static string? Text(TableEntity row, string column) =>
        row.TryGetValue(column, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>Only the names themselves: Enum.TryParse would also take "1", "+1" or "Allow, Reject".</summary>
    private static T? Enum<T>(TableEntity row, string column) where T : struct, System.Enum
    {
        var text = Text(row, column)?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var value in System.Enum.GetValues<T>())
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase)) return value;
        throw new BadColumn(column, text, $"must be one of {string.Join(", ", System.Enum.GetNames<T>())}");
    }

    private static int? Int(TableEntity row, string column)
    {
        if (!row.TryGetValue(column, out var value) || value is null) return null;
        switch (value)
        {
            case int i: return i;
            case long l when l is >= int.MinValue and <= int.MaxValue: return (int)l;
            case string s when string.IsNullOrWhiteSpace(s): return null;
            case string s when int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
            default: throw new BadColumn(column, Text(row, column), "must be an Int32");
        }
    }

    private static bool? Bool(TableEntity row, string column)
    {
        if (!row.TryGetValue(column, out var value) || value is null) return null;
        return value switch
        {
            bool b => b,
            string s when string.IsNullOrWhiteSpace(s) => null,
            string s when bool.TryParse(s.Trim(), out var parsed) => parsed,
            _ => throw new BadColumn(column, Text(row, column), "must be a Boolean (true or false)"),
        };
    }

    private static Pattern? PatternColumn(TableEntity row, string column, bool allowAnonymous) =>
        StringColumn(row, column) is { } text ? Parsed(column, text, t => Pattern.Parse(t, allowAnonymous)) : null;

    /// <summary>The row's columns as an action's declaration reads its payload, with this reader's rules and errors.</summary>
    private sealed class RowColumns(TableEntity row) : IRuleColumns
    {
        public string? String(string column) => StringColumn(row, column);

        public int? Int(string column) => RuleRow.Int(row, column);

        public T? Enum<T>(string column) where T : struct, System.Enum => RuleRow.Enum<T>(row, column);

        public string? Text(string column) => RuleRow.Text(row, column);

        public T Parsed<T>(string column, string text, Func<string, T> parse) => RuleRow.Parsed(column, text, parse);

        public Exception Bad(string column, string? value, string why) => new BadColumn(column, value, why);
    }

    private sealed class BadColumn(string column, string? value, string why) : Exception(why)
    {
        public string Column { get; } = column;
        public string? Value { get; } = value;
    }
}
