using Azure.Data.Tables;
using CallFunctions.Storage;
using C = CallFunctions.Outcomes.CallRecords.Columns;

namespace CallFunctions.Outcomes;

/// <summary>Reads the call records a summary needs: terminated calls, only the columns it counts.</summary>
public sealed class OutcomeQueries(CallRecords records)
{
    public async Task<OutcomeSummary> SummarizeAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var table = records.Table;
        // Records are partitioned by call, so a summary reads across partitions; the filter keeps it to the period.
        var filter = TableClient.CreateQueryFilter($"TerminatedAt ge {from ?? DateTimeOffset.UnixEpoch}")
                     + (to is { } end ? " and " + TableClient.CreateQueryFilter($"TerminatedAt lt {end}") : "");
        var rows = await table.WithTableAsync(async token =>
        {
            var list = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: [C.TerminatedAt, C.Code, C.Subcode, C.Meaning, C.Rule, C.Action], cancellationToken: token))
                list.Add(row);
            return list;
        }, ct);
        return OutcomeSummary.Count(rows, from, to);
    }
}
