namespace CallFunctions.Rules;

/// <summary>Finds a rule's TimeZone: an IANA id (<c>Europe/Paris</c>) from the system's tzdata, or a Windows id.</summary>
public static class TimeZones
{
    public static TimeZoneInfo Find(string id)
    {
        var name = id.Trim();
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Utc;
        if (TryFind(name) is { } zone) return zone;
        if (WindowsTimeZones.ToIana.TryGetValue(name, out var iana) && TryFind(iana) is { } mapped) return mapped;
        throw new FormatException(
            "is not a known time zone: use an IANA id such as Europe/Paris or America/New_York, or a Windows id such as Romance Standard Time");
    }

    private static TimeZoneInfo? TryFind(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
