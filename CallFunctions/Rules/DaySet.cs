namespace CallFunctions.Rules;

/// <summary>
/// A Days column: weekday names (<c>Mon</c> or <c>Monday</c>) and ranges (<c>Mon-Fri</c>; <c>Fri-Mon</c> wraps over the
/// weekend), comma-separated.
/// </summary>
public readonly record struct DaySet(int Mask)
{
    private static readonly string[] Short = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public bool Contains(DayOfWeek day) => (Mask & (1 << (int)day)) != 0;

    public static DaySet Parse(string text)
    {
        var mask = 0;
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0) continue;
            var dash = term.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                mask |= 1 << (int)Day(term);
                continue;
            }
            var first = Day(term[..dash]);
            var last = Day(term[(dash + 1)..]);
            for (var day = first; ; day = (DayOfWeek)(((int)day + 1) % 7))
            {
                mask |= 1 << (int)day;
                if (day == last) break;
            }
        }
        if (mask == 0) throw new FormatException("names no day (e.g. Mon-Fri or Sat,Sun)");
        return new DaySet(mask);
    }

    public static string Name(DayOfWeek day) => Short[(int)day];

    /// <summary>Monday first, runs of three or more days as ranges: <c>Mon-Fri</c>, <c>Sat,Sun</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        for (var i = 0; i < 7;)
        {
            var start = i;
            while (i < 7 && Contains(MondayFirst(i))) i++;
            if (i - start >= 3) parts.Add($"{Name(MondayFirst(start))}-{Name(MondayFirst(i - 1))}");
            else parts.AddRange(Enumerable.Range(start, i - start).Select(d => Name(MondayFirst(d))));
            if (i == start) i++;
        }
        return string.Join(",", parts);
    }

    private static DayOfWeek MondayFirst(int index) => (DayOfWeek)((index + 1) % 7);

    private static DayOfWeek Day(string text)
    {
        var name = text.Trim();
        for (var i = 0; i < 7; i++)
        {
            var day = (DayOfWeek)i;
            if (name.Equals(Short[i], StringComparison.OrdinalIgnoreCase)
                || name.Equals(day.ToString(), StringComparison.OrdinalIgnoreCase)) return day;
        }
        throw new FormatException($"\"{name}\" is not a day: use Mon, Tue, Wed, Thu, Fri, Sat, Sun or the full names");
    }
}
