using System.Globalization;

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

    /// <summary>Each time condition checked at <paramref name="now"/>, with the local time and day it was checked on.</summary>
    public IEnumerable<ConditionCheck> Checks(DateTimeOffset now)
    {
        var local = LocalTime(now);
        var today = DateOnly.FromDateTime(local);
        var zone = Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;
        var at = $"{DaySet.Name(local.DayOfWeek)} {local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} in {zone}";
        // Days and Dates are checked on the day the holding range started: yesterday, after midnight in a night range.
        var startDays = Hours?.Select(r => r.StartDay(local.TimeOfDay, today)).OfType<DateOnly>().Distinct().ToList() ?? [today];
        var days = startDays.Count > 0 ? startDays : [today];
        var dayText = string.Join(" or ", days.Select(d => $"{DaySet.Name(d.DayOfWeek)} {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        var dayDetail = days.SequenceEqual([today]) ? $"the day is {dayText} ({at})" : $"the range started on {dayText} ({at})";

        if (Hours is { } hours)
            yield return new ConditionCheck(Condition.Hours, string.Join(",", hours), startDays.Count > 0, $"local time {at}");
        if (Days is { } set)
            yield return new ConditionCheck(Condition.Days, set.ToString(), days.Any(d => set.Contains(d.DayOfWeek)), dayDetail);
        if (Dates is { } dates)
            yield return new ConditionCheck(Condition.Dates, string.Join(",", dates), days.Any(d => dates.Any(r => r.Contains(d))), dayDetail);
    }
}
