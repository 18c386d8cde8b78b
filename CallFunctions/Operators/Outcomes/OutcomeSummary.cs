using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;
using CallFunctions.Records;

namespace CallFunctions.Operators.Outcomes;

/// <summary>
/// Calls that ended with one code/subcode; <see cref="NotReported"/> (in JSON only when true) for those whose end Graph
/// never reported, closed by the reconciler: a line of their own, apart from the calls that ended without resultInfo.
/// </summary>
public sealed record CodeCount(
    int? Code, int? Subcode, string Meaning, int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool NotReported = false);

/// <summary>Calls by the rule and action that decided them; <see cref="Target"/> is where a Redirect sent them.</summary>
public sealed record RuleCount(string Rule, [property: JsonConverter(typeof(ActionOrNone))] RuleAction? Action, int Count, string? Target = null)
{
    /// <summary>The action as the summary shows it: its name, or "(none)" for a call ended without a decision.</summary>
    [JsonIgnore]
    public string ActionText => Action?.ToString() ?? RecordedDecision.NoneRecorded;
}

/// <summary>An action in JSON as its name (<c>"Reject"</c>), and no action as <c>"(none)"</c>.</summary>
public sealed class ActionOrNone : JsonConverter<RuleAction?>
{
    public override bool HandleNull => true;

    public override RuleAction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } text && Enum.IsDefined(typeof(RuleAction), text) ? Enum.Parse<RuleAction>(text) : null;

    public override void Write(Utf8JsonWriter writer, RuleAction? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value?.ToString() ?? RecordedDecision.NoneRecorded);
}

/// <summary>Challenged calls by rule and result (<c>passed</c>, <c>failed</c>, <c>timeout</c>…; <c>undecided</c> when none was recorded).</summary>
public sealed record ChallengeCount(string Rule, string Result, int Count)
{
    public const string Undecided = "undecided";
}

/// <summary>How the calls that ended between two times ended (code/subcode/meaning), and which rule and action each had.</summary>
public sealed record OutcomeSummary(
    DateTimeOffset? From, DateTimeOffset? To, int Terminations, IReadOnlyList<CodeCount> ByCode, IReadOnlyList<RuleCount> ByRule,
    IReadOnlyList<ChallengeCount>? ByChallenge = null)
{
    /// <summary>Counts the call records that hold a termination; pure, so the CLI and the HTTP answer are the same.</summary>
    public static OutcomeSummary Count(IEnumerable<TableEntity> records, DateTimeOffset? from, DateTimeOffset? to) =>
        Count(records.Select(CallRecord.From), from, to);

    public static OutcomeSummary Count(IEnumerable<CallRecord> records, DateTimeOffset? from, DateTimeOffset? to)
    {
        var ended = records.Where(r => r.Ended?.At is { } at && (from is null || at >= from) && (to is null || at < to)).ToList();
        var byCode = ended
            .GroupBy(r => (r.Ended!.Code, r.Ended.Subcode, r.Ended.NotReported))
            .Select(g => new CodeCount(g.Key.Code, g.Key.Subcode,
                g.Key.NotReported ? TerminationCodes.NotReported
                    : g.Select(r => r.Ended!.Meaning).FirstOrDefault(m => m is not null) ?? TerminationCodes.Describe(g.Key.Code, g.Key.Subcode),
                g.Count(), g.Key.NotReported))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Code).ThenBy(c => c.Subcode).ThenBy(c => c.NotReported)
            .ToList();
        var byRule = ended
            .GroupBy(r => (Rule: r.Decided?.RuleName ?? RecordedDecision.NoneRecorded, r.Decided?.Action, r.Decided?.Target))
            .Select(g => new RuleCount(g.Key.Rule, g.Key.Action, g.Count(), g.Key.Target))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.ActionText, StringComparer.Ordinal)
            .ToList();
        var byChallenge = ended
            .Where(r => r.Decided?.Action == RuleAction.Challenge)
            .GroupBy(r => (Rule: r.Decided!.RuleName, Result: r.Challenge?.Result ?? ChallengeCount.Undecided))
            .Select(g => new ChallengeCount(g.Key.Rule, g.Key.Result, g.Count()))
            .OrderBy(c => c.Rule, StringComparer.Ordinal).ThenByDescending(c => c.Count).ThenBy(c => c.Result, StringComparer.Ordinal)
            .ToList();
        return new OutcomeSummary(from, to, ended.Count, byCode, byRule, byChallenge);
    }

    /// <summary>Reads from and to as given on a command line or in a query string; every problem is reported.</summary>
    public static bool TryParseRange(string? fromText, string? toText, out DateTimeOffset? from, out DateTimeOffset? to, out List<string> errors)
    {
        errors = [];
        from = Parse("from", fromText, errors);
        to = Parse("to", toText, errors);
        if (from is not null && to is not null && from >= to) errors.Add("from must be before to.");
        return errors.Count == 0;
    }

    private static DateTimeOffset? Parse(string name, string? text, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (TimeArgument.TryParse(text, out var value, out var error)) return value;
        errors.Add($"{name}: {error}");
        return null;
    }
}
