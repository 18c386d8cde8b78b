using Azure.Data.Tables;

namespace CallFunctions.Outcomes;

/// <summary>Reads the calls of a period through the index (<see cref="CallIndex"/>): the period's days and hours only.</summary>
public sealed class OutcomeQueries(CallIndex index, TimeProvider clock)
{
    public async Task<OutcomeSummary> SummarizeAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        OutcomeSummary.Count(await CallsAsync(from, to, ct), from, to);

    /// <summary>The calls with an event in [from, to), one record-shaped entity each; <paramref name="to"/> defaults to now.</summary>
    public Task<List<TableEntity>> CallsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        index.ReadAsync(from, to ?? clock.GetUtcNow().AddTicks(1), ct);
}
