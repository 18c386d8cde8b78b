using System.Globalization;
using System.Text.RegularExpressions;

namespace CallFunctions.Rules;

/// <summary>
/// A Repeat column, <c>3/10m</c>: it holds when this ring is at least the 3rd from the same caller within the last 10
/// minutes, this ring included. Windows from 1m to 24h, counts from 2 (every ring is at least the 1st) to 100.
/// </summary>
public sealed partial record Repeat(int Count, TimeSpan Window, string Text)
{
    public const int MaxCount = 100;
    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    public static Repeat Parse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success)
            throw new FormatException("must be rings/window, e.g. 3/10m (the 3rd ring within 10 minutes) or 5/2h");
        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        if (count is < 2 or > MaxCount) throw new FormatException($"counts from 2 to {MaxCount} rings (every ring is at least the 1st)");
        var amount = long.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        var minutes = match.Groups["unit"].Value is "h" or "H" ? amount * 60 : amount;
        if (minutes < MinWindow.TotalMinutes || minutes > MaxWindow.TotalMinutes) throw new FormatException("has a window outside 1m to 24h");
        var window = TimeSpan.FromMinutes(minutes);
        return new Repeat(count, window, text.Trim());
    }

    /// <summary>The window as written in the column's unit: 10m, 2h.</summary>
    public static string Format(TimeSpan window) =>
        window.TotalMinutes % 60 == 0 ? $"{window.TotalHours:0}h" : $"{window.TotalMinutes:0}m";

    [GeneratedRegex(@"^\s*(?<count>[0-9]{1,9})\s*/\s*(?<amount>[0-9]{1,9})\s*(?<unit>[mMhH])\s*$")]
    private static partial Regex Shape();
}

/// <summary>
/// What the evaluator knows of a ringing call's caller's earlier rings, for Repeat conditions: the times of the rings
/// before this one (at most as many as the largest Repeat needs, within its largest window), or why they are unknown.
/// Pure input: whoever asks the rules counts the rings (the screener in Table Storage, what-if from the records).
/// </summary>
public sealed record CallerRings(IReadOnlyList<DateTimeOffset> Earlier, string? Unknown = null)
{
    public static CallerRings Unavailable(string why) => new([], why);

    /// <summary>This ring's rank within the window: the earlier rings inside it, plus this one.</summary>
    public int CountWithin(TimeSpan window, DateTimeOffset now)
    {
        var count = 1;
        foreach (var at in Earlier)
            if (at > now - window) count++;
        return count;
    }
}

/// <summary>The largest window and count of the Repeat rules a ringing call meets: how far back its caller's rings are read.</summary>
public sealed record RepeatNeed(TimeSpan Window, int Count);
