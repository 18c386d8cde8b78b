using CallFunctions.Records;

namespace CallFunctions.Operators.Outcomes;

/// <summary>Reads the calls of a period through the index (<see cref="CallIndex"/>): the period's days and hours only.</summary>
public sealed class OutcomeQueries(CallIndex index, TimeProvider clock)
{
    public async Task<OutcomeSummary> SummarizeAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        OutcomeSummary.Count(await CallsAsync(from, to, ct), from, to);

    /// <summary>The 400 every route over the records (summary, what-if, the dashboard's data) gives for a bad period.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InvalidPeriod(List<string> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid period", detail: errors[0],
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>A period when none is asked for: the last 24 hours.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromHours(24);

    /// <summary>The period asked for: by default the last 24 hours; <c>to</c> alone ends it, <c>from</c> alone runs it to now.</summary>
    public bool TryParsePeriod(string? fromText, string? toText, out DateTimeOffset from, out DateTimeOffset to, out List<string> errors)
    {
        from = to = default;
        if (!OutcomeSummary.TryParseRange(fromText, toText, out var start, out var end, out errors)) return false;
        to = end ?? clock.GetUtcNow();
        from = start ?? to - DefaultPeriod;
        if (from >= to) errors.Add("from must be before to.");
        return errors.Count == 0;
    }

    /// <summary>The calls with an event in [from, to), one record each; <paramref name="to"/> defaults to now.</summary>
    public async Task<List<CallRecord>> CallsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        [.. (await index.ReadAsync(from, to ?? clock.GetUtcNow().AddTicks(1), ct)).Select(CallRecord.From)];
}
