using System.Globalization;

namespace CallFunctions.Platform;

/// <summary>
/// A time given by a person on a command line or in a query string: ISO 8601 with <c>Z</c> or an offset
/// (<c>2026-03-29T10:00:00+02:00</c>), or a date alone (<c>2026-03-29</c>, midnight UTC). A time without an offset is
/// refused rather than guessed.
/// </summary>
internal static class TimeArgument
{
    public static bool TryParse(string? text, out DateTimeOffset value, out string error)
    {
        value = default;
        error = "";
        var trimmed = text?.Trim() ?? "";
        // A '+' in a query string arrives as a space when the caller did not encode it.
        if (trimmed.Length > 19 && trimmed[19..].Contains(' ', StringComparison.Ordinal)) trimmed = trimmed[..19] + trimmed[19..].Replace(' ', '+');
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && HasOffset(trimmed))
        {
            value = time;
            return true;
        }
        error = $"\"{text}\" is not a time: write ISO 8601 with Z or an offset, e.g. 2026-03-29T10:00:00Z or 2026-03-29T10:00:00+02:00, or a date such as 2026-03-29";
        return false;
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 0) return false;
        var time = text[t..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }
}
