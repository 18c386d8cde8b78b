using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;
using CallFunctions.Rules;

namespace CallFunctions.Records;

/// <summary>
/// Each caller's rings, counted on every instance for Repeat rules, in the table named after the outcomes table plus
/// <c>Rings</c> (<c>CallOutcomesRings</c>).
/// <para>
/// Keys: PartitionKey the caller (one identity, <c>phone:+14255550123</c>), RowKey the ring's time inverted (newest
/// first, 19 digits) then the call id. The rings within a window are then the first rows of one partition: one query,
/// which reads at most as many rows as the largest Repeat counts, whatever the caller's history or the number of
/// callers. A ring is one upsert, keyed by its call id, so a retried write or a second delivery at the same time adds
/// nothing; a delivery at another time adds a row of the same call, which counts once.
/// </para>
/// Rows are written only for a ringing call that meets a Repeat rule; retention deletes them with the records.
/// </summary>
public sealed class RingCounts([FromKeyedServices(RingCounts.TableKey)] TableClient table, ILogger<RingCounts> logger)
{
    public const string TableKey = "rings";
    public const string TableSuffix = "Rings";

    public TableClient Table => table;

    /// <summary>
    /// Records this ring (unless <paramref name="write"/> is false: an explanation writes nothing), then reads the
    /// caller's earlier rings within the window. The write comes first, so two instances ringing at once each count
    /// the other's ring. When storage cannot answer, the rings are unknown and Repeat conditions do not hold.
    /// </summary>
    public async Task<CallerRings> CountAsync(string callId, Party caller, DateTimeOffset at, RepeatNeed need, bool write, CancellationToken ct)
    {
        if (CallerKey(caller) is not { } key) return CallerRings.Unavailable("an anonymous caller is not counted");
        try
        {
            if (write)
            {
                var ring = new TableEntity(key, RowKey(at, callId)) { [CallRecord.Columns.CallId] = callId, ["RangAt"] = at };
                // Repeat after a lost answer: the same row written again. A redelivery rings at another instant, so it
                // writes a row of its own; the count reads each call id once.
                await table.WithTableAsync<Response>(token => table.UpsertEntityAsync(ring, TableUpdateMode.Replace, token), ct);
            }
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey lt {Inverted(at - need.Window)}");
            var earlier = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            // Its own row and a few repeated deliveries besides the rings that count: one page, one request.
            var page = Math.Min(1000, need.Count * 2 + 2);
            await foreach (var rows in table.QueryAsync<TableEntity>(filter, page, ["CallId", "RangAt"], ct).AsPages(pageSizeHint: page))
            {
                foreach (var row in rows.Values)
                    if (row.GetString("CallId") is { } id && id != callId && row.GetDateTimeOffset("RangAt") is { } rang)
                        earlier[id] = earlier.TryGetValue(id, out var seen) && seen < rang ? seen : rang;
                break;
            }
            return new CallerRings([.. earlier.Values]);
        }
        catch (RequestFailedException e) when (e.Status == 404 && !write)
        {
            // No ring was ever written: the table does not exist yet.
            return new CallerRings([]);
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.RingsUnavailable(logger, e, callId);
            return CallerRings.Unavailable("Table Storage did not answer");
        }
    }

    /// <summary>Deletes a caller's rings at or before <paramref name="cutoff"/>; returns how many went.</summary>
    public async Task<int> DeleteBeforeAsync(Party caller, DateTimeOffset cutoff, CancellationToken ct)
    {
        if (CallerKey(caller) is not { } key) return 0;
        var old = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey ge {Inverted(cutoff)}");
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct)) old.Add(row);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
        foreach (var chunk in old.Chunk(100))
        {
            // Repeat after a lost answer: the deletes of rows already gone are dropped and the rest sent again (404 is done).
            await table.SubmitRepeatableAsync([.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))], ct);
        }
        return old.Count;
    }

    /// <summary>
    /// The caller as one partition: their phone number when they have one, else their first identity with an id, in
    /// lower case (ids compare case-insensitively). Characters a key may not hold are escaped; a long id is hashed.
    /// Null for an anonymous caller: those are never counted together.
    /// </summary>
    public static string? CallerKey(Party caller)
    {
        if (caller.IsAnonymous) return null;
        var identity = caller.Identities.FirstOrDefault(i => i.Id.Length > 0 && i.Kind.Equals("phone", StringComparison.OrdinalIgnoreCase))
                       ?? caller.Identities.First(i => i.Id.Length > 0);
        var id = identity.Key.ToLowerInvariant();
        if (id.Length > 256) id = "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        var key = new StringBuilder(identity.Kind.ToLowerInvariant()).Append(':');
        foreach (var c in id)
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) key.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else key.Append(c);
        return key.ToString();
    }

    private static string RowKey(DateTimeOffset at, string callId) => Inverted(at) + "-" + callId;

    /// <summary>Later times sort first: a window's rings are a partition's first rows.</summary>
    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
