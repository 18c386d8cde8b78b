using CallFunctions.Rules;
using CallFunctions.RuleTable;

namespace CallFunctions.Tests.Rules;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData("2026-03-27T23:00:00Z", true)]   // Friday 23:00
    [InlineData("2026-03-28T01:59:00Z", true)]   // Saturday 01:59, still Friday night's range
    [InlineData("2026-03-28T02:00:00Z", false)]  // the end is excluded
    [InlineData("2026-03-28T23:00:00Z", false)]  // Saturday night: Saturday is not in Days
    [InlineData("2026-03-27T01:00:00Z", false)]  // Friday 01:00 belongs to Thursday night's range
    [InlineData("2026-03-27T21:59:00Z", false)]
    public void ARangeCrossingMidnightBelongsToTheDayItStarts(string utc, bool matches)
    {
        var rule = Rows.Rule("friday-night", 1, "Reject", days: "Fri", hours: "22:00-02:00");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    // Spring forward in Paris on 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    [InlineData("2026-03-28T07:30:00Z", false)]  // 08:30 CET
    [InlineData("2026-03-29T07:30:00Z", true)]   // 09:30 CEST
    [InlineData("2026-03-28T15:30:00Z", true)]   // 16:30 CET
    [InlineData("2026-03-29T15:30:00Z", false)]  // 17:30 CEST
    // Fall back on 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC).
    [InlineData("2026-10-24T07:30:00Z", true)]   // 09:30 CEST
    [InlineData("2026-10-25T07:30:00Z", false)]  // 08:30 CET
    [InlineData("2026-10-25T15:30:00Z", true)]   // 16:30 CET
    [InlineData("2026-10-25T16:30:00Z", false)]  // 17:30 CET
    public void OfficeHoursFollowTheWallClockAcrossDaylightSavingChanges(string utc, bool matches)
    {
        var rule = Rows.Rule("office", 1, "Allow", hours: "09:00-17:00", timeZone: "Europe/Paris");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    [InlineData("2026-03-29T00:30:00Z", true)]   // Sunday 01:30 CET, Saturday night's range
    [InlineData("2026-03-29T01:30:00Z", true)]   // 03:30 CEST: the hour 02:00-03:00 did not exist
    [InlineData("2026-03-29T03:59:00Z", true)]   // 05:59 CEST
    [InlineData("2026-03-29T04:00:00Z", false)]  // 06:00 CEST
    [InlineData("2026-03-28T20:59:00Z", false)]  // Saturday 21:59 CET
    public void ANightRangeOnTheSpringForwardNightIsAnHourShorter(string utc, bool matches)
    {
        var rule = Rows.Rule("saturday-night", 1, "Reject", days: "Sat", hours: "22:00-06:00", timeZone: "Europe/Paris");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    [InlineData("2026-10-25T00:30:00Z", true)]   // 02:30 CEST
    [InlineData("2026-10-25T01:30:00Z", true)]   // 02:30 CET, the same wall-clock hour again
    [InlineData("2026-10-25T02:30:00Z", false)]  // 03:30 CET
    [InlineData("2026-10-24T23:59:00Z", false)]  // 01:59 CEST
    public void TheRepeatedHourOfTheFallBackNightMatchesBothTimes(string utc, bool matches)
    {
        var rule = Rows.Rule("maintenance", 1, "Reject", hours: "02:00-03:00", timeZone: "Europe/Paris");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    [InlineData("Romance Standard Time")]
    [InlineData("Europe/Paris")]
    [InlineData("W. Europe Standard Time")]
    public void WindowsAndIanaTimeZoneIdsGiveTheSameAnswer(string zone)
    {
        var rule = Rows.Rule("office", 1, "Allow", days: "Mon-Fri", hours: "09:00-17:30", timeZone: zone);

        Assert.True(Evaluate.Matches(rule, "2026-03-30T07:15:00Z"));   // Monday 09:15 CEST
        Assert.False(Evaluate.Matches(rule, "2026-03-27T07:15:00Z"));  // Friday 08:15 CET
        Assert.False(Evaluate.Matches(rule, "2026-03-28T10:00:00Z"));  // Saturday
    }

    [Theory]
    [InlineData("2026-12-23T22:59:00Z", false)]  // 23:59 on the 23rd in Paris
    [InlineData("2026-12-23T23:00:00Z", true)]   // midnight on the 24th in Paris, still the 23rd in UTC
    [InlineData("2026-12-26T22:59:00Z", true)]   // 23:59 on the 26th
    [InlineData("2026-12-26T23:00:00Z", false)]  // the 27th
    [InlineData("2027-01-01T12:00:00Z", true)]
    [InlineData("2027-01-02T12:00:00Z", false)]
    public void AHolidayRangeCoversWholeDaysInTheRulesTimeZone(string utc, bool matches)
    {
        var rule = Rows.Rule("holidays", 1, "Reject", dates: "2026-12-24..2026-12-26, 2027-01-01", timeZone: "Europe/Paris");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    [InlineData("12-25", "2031-12-25T12:00:00Z", true)]
    [InlineData("12-25", "2031-12-26T12:00:00Z", false)]
    [InlineData("12-31..01-01", "2031-01-01T12:00:00Z", true)]
    [InlineData("12-31..01-01", "2030-12-31T12:00:00Z", true)]
    [InlineData("12-31..01-01", "2031-01-02T12:00:00Z", false)]
    [InlineData("02-29", "2028-02-29T12:00:00Z", true)]
    public void ADateWithoutAYearRepeatsEveryYear(string dates, string utc, bool matches)
    {
        Assert.Equal(matches, Evaluate.Matches(Rows.Rule("yearly", 1, "Reject", dates: dates), utc));
    }

    [Theory]
    [InlineData("2026-12-24T23:00:00Z", true)]
    [InlineData("2026-12-25T01:00:00Z", true)]   // after midnight, the range started on the 24th
    [InlineData("2026-12-24T01:00:00Z", false)]  // the range that started on the 23rd
    [InlineData("2026-12-25T23:00:00Z", false)]
    public void DatesNameTheDayARangeStarts(string utc, bool matches)
    {
        var rule = Rows.Rule("christmas-eve-night", 1, "Reject", dates: "2026-12-24", hours: "22:00-02:00");

        Assert.Equal(matches, Evaluate.Matches(rule, utc));
    }

    [Theory]
    [InlineData("Mon-Fri", "2026-03-30T12:00:00Z", true)]   // Monday
    [InlineData("Mon-Fri", "2026-03-29T12:00:00Z", false)]  // Sunday
    [InlineData("sat, SUNDAY", "2026-03-29T12:00:00Z", true)]
    [InlineData("Fri-Mon", "2026-03-29T12:00:00Z", true)]   // wraps over the weekend
    [InlineData("Fri-Mon", "2026-04-01T12:00:00Z", false)]  // Wednesday
    public void DaysTakeNamesListsAndRangesThatWrap(string days, string utc, bool matches)
    {
        Assert.Equal(matches, Evaluate.Matches(Rows.Rule("days", 1, "Reject", days: days), utc));
    }

    [Theory]
    [InlineData("2026-03-30T08:30:00Z", true)]
    [InlineData("2026-03-30T12:30:00Z", false)]  // lunch
    [InlineData("2026-03-30T13:30:00Z", true)]
    [InlineData("2026-03-30T23:59:59Z", true)]   // 24:00 ends the day
    public void HoursTakeAListOfRanges(string utc, bool matches)
    {
        Assert.Equal(matches, Evaluate.Matches(Rows.Rule("split", 1, "Allow", hours: "08:00-12:00,13:00-17:00, 20:00-24:00"), utc));
    }

    [Fact]
    public void AllConditionsOfARuleMustHold()
    {
        var rule = Rows.Rule("weekday-evenings-from-uk", 1, "Reject", caller: "+44*", days: "Mon-Fri", hours: "18:00-23:00");
        var uk = Evaluate.Call(Evaluate.Phone("+442071838750"));

        Assert.True(Evaluate.Matches(rule, "2026-03-30T19:00:00Z", uk));
        Assert.False(Evaluate.Matches(rule, "2026-03-30T19:00:00Z"));      // not from the UK
        Assert.False(Evaluate.Matches(rule, "2026-03-29T19:00:00Z", uk));  // Sunday
        Assert.False(Evaluate.Matches(rule, "2026-03-30T17:00:00Z", uk));  // before 18:00
    }

    [Theory]
    [InlineData("Days", "Mo-Fr", "\"Mo\" is not a day")]
    [InlineData("Days", " , ", "names no day")]
    [InlineData("Hours", "9-17", "\"9\" is not a time of day")]
    [InlineData("Hours", "09:00-09:00", "starts and ends at the same time")]
    [InlineData("Hours", "24:00-02:00", "\"24:00\" is not a time of day")]
    [InlineData("Hours", "09:00", "is not a range of hours")]
    [InlineData("Dates", "2026-12-26..2026-12-24", "ends before it starts")]
    [InlineData("Dates", "24/12/2026", "is not a date")]
    [InlineData("Dates", "2026-12-24..12-26", "give both years or neither")]
    [InlineData("TimeZone", "Europe/Pariss", "is not a known time zone")]
    [InlineData("Callee", "anonymous", "applies to Caller only")]
    public void ABadTimeOrPatternValueNamesTheColumnAndWhy(string column, string value, string why)
    {
        var row = Rows.Rule("bad", 1, "Reject");
        row[column] = value;

        var (rule, error) = RuleRow.Parse(row);

        Assert.Null(rule);
        Assert.NotNull(error);
        Assert.Equal(column, error.Column);
        Assert.Equal(value, error.Value);
        Assert.Contains(why, error.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void ATimeZoneAloneChangesNothingAndUtcIsTheDefault()
    {
        Assert.True(Evaluate.Matches(Rows.Rule("zone-only", 1, "Reject", timeZone: "Asia/Tokyo"), "2026-03-30T12:00:00Z"));
        Assert.True(Evaluate.Matches(Rows.Rule("utc", 1, "Reject", hours: "23:00-24:00"), "2026-03-30T23:30:00Z"));
    }

    [Fact]
    public void EveryWindowsIdOfTheMapFindsItsZoneInTheSystemsTzdata()
    {
        Assert.True(WindowsTimeZones.ToIana.Count > 130);
        foreach (var (windows, iana) in WindowsTimeZones.ToIana)
            Assert.Equal(windows == "UTC" ? "UTC" : iana, TimeZones.Find(windows).Id);
    }
}
