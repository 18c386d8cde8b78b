using Microsoft.Extensions.Options;

namespace CallFunctions.Platform;

/// <summary>
/// The app's clock started at another instant, then running at the real pace: <c>Diagnostics__ClockStart</c> lets a
/// test or a demonstration in a Development environment see a time of day, a holiday or a change of daylight saving
/// without waiting for it. The Functions host runs the app, so a test cannot hand it a clock object.
/// </summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    public static TimeProvider From(IConfiguration configuration)
    {
        var start = configuration["Diagnostics:ClockStart"];
        if (string.IsNullOrWhiteSpace(start)) return System;
        // As Core Tools and the local host set it; Azure sets Production or nothing.
        if (!string.Equals(configuration["AZURE_FUNCTIONS_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase))
            throw Invalid("Diagnostics__ClockStart is set outside a Development environment: remove it.");
        if (!TimeArgument.TryParse(start, out var instant, out var error))
            throw Invalid($"Diagnostics__ClockStart: {error}");
        return new ShiftedClock(instant - System.GetUtcNow());
    }

    private static OptionsValidationException Invalid(string message) =>
        new("Diagnostics", typeof(ShiftedClock), [message]);
}
