using System.Globalization;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The time the Functions hosts live in. In the clock runs (<c>scripts/test-at-instants.sh</c>) this test process runs
/// under libfaketime with <c>FAKETIME=+&lt;seconds&gt;s</c>, but the hosts it starts do not (libfaketime stalls them), so
/// anything the hosts check against their clock, such as a token's lifetime, is dated by taking that offset back off.
/// </summary>
public static class RealTime
{
    public static TimeSpan FakeOffset { get; } = Parse(Environment.GetEnvironmentVariable("FAKETIME"));

    public static DateTime UtcNow => DateTime.UtcNow - FakeOffset;

    private static TimeSpan Parse(string? faketime)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LD_PRELOAD")) || string.IsNullOrWhiteSpace(faketime)) return TimeSpan.Zero;
        var text = faketime.Trim();
        if (text[0] is not ('+' or '-') || !text.EndsWith('s')) return TimeSpan.Zero;
        return double.TryParse(text[..^1], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
    }
}
