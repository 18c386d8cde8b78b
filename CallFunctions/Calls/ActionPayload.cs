namespace CallFunctions.Calls;

/// <summary>
/// What a rule's action carries beyond its name (a Reject's reason, a Redirect's targets), read from the rule's columns
/// as the action's declaration says (<see cref="ActionDeclaration.ReadPayload"/>), and kept in the call's record under
/// the same column names.
/// </summary>
public abstract record ActionPayload
{
    /// <summary>What the call's record keeps of it, and what-if compares: column name and text, in the declaration's order.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Recorded { get; }

    public string? RecordedAs(string column) => Recorded.FirstOrDefault(c => c.Key == column).Value;
}

/// <summary>The reason a reject gives Graph (its <c>rejectReason</c>).</summary>
public enum RejectReason { None, Busy, Forbidden }

/// <summary>A Reject's payload: the reason Graph is given.</summary>
public sealed record Rejection(RejectReason Reason) : ActionPayload
{
    public override IReadOnlyList<KeyValuePair<string, string>> Recorded => [new("Reason", Reason.ToString())];
}

/// <summary>
/// Where a redirect sends a ringing call: its targets (Graph rings them all at once and the first to pick up gets the
/// call), each a <c>phone</c>, <c>user</c> or <c>applicationInstance</c> identity, and how long they ring.
/// </summary>
public sealed record Redirection(IReadOnlyList<Identity> Targets, int? TimeoutSeconds = null) : ActionPayload
{
    /// <summary>The record keeps where the call went; how long the targets rang is the rule's.</summary>
    public override IReadOnlyList<KeyValuePair<string, string>> Recorded => [new("Target", TargetText)];

    /// <summary>Graph's bounds: at most 25 targets ring at once, for 15 to 90 seconds.</summary>
    public const int MaxTargets = 25;
    public const int MinTimeoutSeconds = 15;
    public const int MaxTimeoutSeconds = 90;

    /// <summary>
    /// The targets as the record's <c>Target</c> column keeps them, and as a rule's <c>Target</c> column may be written:
    /// <c>kind:id</c>, comma-separated.
    /// </summary>
    public string TargetText => string.Join(", ", Targets.Select(t => $"{t.Kind}:{t.Id}"));

    public override string ToString() => TargetText;
}

/// <summary>
/// What a Challenge rule asks of a caller: the bot answers, plays <see cref="Prompt"/>, and a caller who presses
/// <see cref="Key"/> within <see cref="TimeoutSeconds"/> is transferred to <see cref="Target"/>; another key, or none,
/// and the bot hangs up. A caller who passed goes straight to the target at the ring for <see cref="Remember"/>.
/// </summary>
/// <param name="Key">The key that passes: <c>0</c>–<c>9</c>, <c>*</c> or <c>#</c>.</param>
/// <param name="Prompt">A served prompt's name (<c>GET /api/prompts/{name}</c>) or an https URL; null: the served prompt that says the key.</param>
public sealed record ChallengeTerms(Identity Target, string Key, int TimeoutSeconds, string? Prompt, TimeSpan? Remember) : ActionPayload
{
    public const string DefaultKey = "1";
    public const int DefaultTimeoutSeconds = 15;
    public const int MinTimeoutSeconds = 5;
    public const int MaxTimeoutSeconds = 60;

    /// <summary>How long a pass may be remembered: from an hour to a year.</summary>
    public static readonly TimeSpan MinRemember = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxRemember = TimeSpan.FromDays(365);

    /// <summary>The record keeps where a caller who passes goes; the key is the rule's, and the keys pressed are never kept.</summary>
    public override IReadOnlyList<KeyValuePair<string, string>> Recorded => [new("Target", TargetText)];

    public string TargetText => $"{Target.Kind}:{Target.Id}";

    /// <summary>The key as Graph's toneInfo names it: <c>tone0</c>–<c>tone9</c>, <c>star</c>, <c>pound</c>.</summary>
    public string Tone => ToneOf(Key);

    /// <summary>The prompt to play: the rule's, or the served prompt that says the key (<c>press-1</c>, <c>press-star</c>).</summary>
    public string PromptOrDefault => Prompt ?? $"press-{KeyWord(Key)}";

    /// <summary>A prompt the app serves (a name), rather than the operator's own https URL.</summary>
    public bool PromptIsServed => !PromptOrDefault.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static string ToneOf(string key) => key switch
    {
        "*" => "star",
        "#" => "pound",
        _ => "tone" + key,
    };

    private static string KeyWord(string key) => key switch
    {
        "*" => "star",
        "#" => "pound",
        _ => key,
    };

    public static string ParseKey(string text) =>
        text is { Length: 1 } && (char.IsAsciiDigit(text[0]) || text is "*" or "#")
            ? text
            : throw new FormatException("must be one key: 0 to 9, * or #");

    /// <summary>A served prompt's name (letters, digits, - and _) or an https URL of the operator's own.</summary>
    public static string ParsePrompt(string text)
    {
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host)
                ? text
                : throw new FormatException("is not a valid https URL");
        if (Uri.TryCreate(text, UriKind.Absolute, out var other) && other.Scheme.Length > 1)
            throw new FormatException($"must be https: Graph fetches prompts over https only, not {other.Scheme}");
        return IsPromptName(text)
            ? text
            : throw new FormatException("must name a served prompt (letters, digits, - and _, as press-1) or be an https URL");
    }

    public static bool IsPromptName(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary><c>12h</c> or <c>30d</c>, from an hour to 365 days.</summary>
    public static TimeSpan ParseRemember(string text)
    {
        var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (unit is 'h' or 'd' && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            var span = unit == 'h' ? TimeSpan.FromHours(n) : TimeSpan.FromDays(n);
            if (span >= MinRemember && span <= MaxRemember) return span;
        }
        throw new FormatException("must be a duration from 1h to 365d, in hours (12h) or days (30d); empty: never");
    }

    public static string FormatRemember(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d" : $"{span.TotalHours:0}h";
}
