using System.Globalization;

namespace CallFunctions.Rules;

/// <summary>
/// One term of an Hours column, <c>09:00-17:30</c>: from the start (included) to the end (excluded), in the rule's
/// time zone. An end before the start crosses midnight; <c>24:00</c> is the end of the day.
/// </summary>
public readonly record struct HourRange(TimeSpan Start, TimeSpan End)
{
    public bool CrossesMidnight => End < Start;

    public static IReadOnlyList<HourRange> ParseList(string text)
    {
        var ranges = new List<HourRange>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length > 0) ranges.Add(Parse(term));
        }
        if (ranges.Count == 0) throw new FormatException("names no hours (e.g. 09:00-17:30)");
        return ranges;
    }

    public static HourRange Parse(string term)
    {
        var dash = term.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) throw new FormatException($"\"{term}\" is not a range of hours: write start-end, e.g. 09:00-17:30");
        var start = Time(term[..dash], allowEndOfDay: false);
        var end = Time(term[(dash + 1)..], allowEndOfDay: true);
        if (start == end)
            throw new FormatException($"\"{term}\" starts and ends at the same time: for the whole day leave Hours empty or write 00:00-24:00");
        return new HourRange(start, end);
    }

    /// <summary>
    /// The day the range that holds <paramref name="timeOfDay"/> started on: today, or yesterday after midnight in a
    /// range that crosses it. Null when the time is outside the range.
    /// </summary>
    public DateOnly? StartDay(TimeSpan timeOfDay, DateOnly today)
    {
        if (!CrossesMidnight) return timeOfDay >= Start && timeOfDay < End ? today : null;
        if (timeOfDay >= Start) return today;
        return timeOfDay < End ? today.AddDays(-1) : null;
    }

    public override string ToString() => $"{Format(Start)}-{Format(End)}";

    private static string Format(TimeSpan time) =>
        time == TimeSpan.FromDays(1) ? "24:00" : time.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static TimeSpan Time(string text, bool allowEndOfDay)
    {
        var value = text.Trim();
        if (allowEndOfDay && value == "24:00") return TimeSpan.FromDays(1);
        if (TimeOnly.TryParseExact(value, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time.ToTimeSpan();
        throw new FormatException($"\"{value}\" is not a time of day: write HH:mm, 00:00 to {(allowEndOfDay ? "24:00" : "23:59")}");
    }
}
