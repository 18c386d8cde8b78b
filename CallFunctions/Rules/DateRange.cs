using System.Globalization;

namespace CallFunctions.Rules;

/// <summary>
/// One term of a Dates column: a day (<c>2026-12-24</c>) or an inclusive range (<c>2026-12-24..2026-12-26</c>).
/// Without the year (<c>12-25</c>, <c>12-31..01-01</c>) it repeats every year.
/// </summary>
public readonly record struct DateRange(DateOnly First, DateOnly Last, bool EveryYear)
{
    // A leap year, so that 02-29 parses as a yearly date.
    private const int AnyYear = 2000;

    public static IReadOnlyList<DateRange> ParseList(string text)
    {
        var ranges = new List<DateRange>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length > 0) ranges.Add(Parse(term));
        }
        if (ranges.Count == 0) throw new FormatException("names no date (e.g. 2026-12-24..2026-12-26)");
        return ranges;
    }

    public static DateRange Parse(string term)
    {
        var dots = term.IndexOf("..", StringComparison.Ordinal);
        var (first, firstYearly) = Date(dots < 0 ? term : term[..dots]);
        var (last, lastYearly) = dots < 0 ? (first, firstYearly) : Date(term[(dots + 2)..]);
        if (firstYearly != lastYearly)
            throw new FormatException($"\"{term}\" mixes a date with a year and one without: give both years or neither");
        if (!firstYearly && last < first) throw new FormatException($"\"{term}\" ends before it starts");
        return new DateRange(first, last, firstYearly);
    }

    public bool Contains(DateOnly day)
    {
        if (!EveryYear) return day >= First && day <= Last;
        var key = (day.Month * 100) + day.Day;
        var first = (First.Month * 100) + First.Day;
        var last = (Last.Month * 100) + Last.Day;
        // 12-31..01-01 wraps over the new year.
        return first <= last ? key >= first && key <= last : key >= first || key <= last;
    }

    public override string ToString()
    {
        var format = EveryYear ? "MM-dd" : "yyyy-MM-dd";
        var first = First.ToString(format, CultureInfo.InvariantCulture);
        return First == Last ? first : $"{first}..{Last.ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static (DateOnly Date, bool EveryYear) Date(string text)
    {
        var value = text.Trim();
        var everyYear = value.Length == 5;
        var full = everyYear ? $"{AnyYear}-{value}" : value;
        if (DateOnly.TryParseExact(full, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return (date, everyYear);
        throw new FormatException($"\"{value}\" is not a date: write yyyy-MM-dd, or MM-dd for every year");
    }
}
