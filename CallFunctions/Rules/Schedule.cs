namespace CallFunctions.Rules;

/// <summary>
/// The time conditions of a rule, on the wall clock of its time zone (so daylight-saving changes need nothing special).
/// Days and Dates name the day a time range starts: <c>Fri</c> with <c>22:00-02:00</c> holds from Friday 22:00 to
/// Saturday 02:00, as an Asterisk time condition does.
/// </summary>
public sealed record Schedule(TimeZoneInfo Zone, DaySet? Days, IReadOnlyList<HourRange>? Hours, IReadOnlyList<DateRange>? Dates)
{
    public DateTime LocalTime(DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, Zone).DateTime;

    /// <summary>The first condition that does not hold at <paramref name="now"/>, or null when all hold.</summary>
    public Condition? Miss(DateTimeOffset now)
    {
        if (Days is null && Hours is null && Dates is null) return null;
        var local = LocalTime(now);
        var today = DateOnly.FromDateTime(local);
        if (Hours is null) return DayMiss(today);

        Condition? miss = Condition.Hours;
        for (var i = 0; i < Hours.Count; i++)
        {
            if (Hours[i].StartDay(local.TimeOfDay, today) is not { } day) continue;
            var dayMiss = DayMiss(day);
            if (dayMiss is null) return null;
            if (miss == Condition.Hours) miss = dayMiss;
        }
        return miss;
    }

    private Condition? DayMiss(DateOnly day)
    {
        if (Days is { } days && !days.Contains(day.DayOfWeek)) return Condition.Days;
        if (Dates is { } dates && !AnyContains(dates, day)) return Condition.Dates;
        return null;
    }

    // A loop rather than LINQ: this runs on the notification path, for every candidate rule with Dates.
    private static bool AnyContains(IReadOnlyList<DateRange> dates, DateOnly day)
    {
        for (var i = 0; i < dates.Count; i++)
            if (dates[i].Contains(day)) return true;
        return false;
    }
}
