using Azure;
using CallFunctions.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Notifications;

/// <summary>
/// Answers one POST of a commsNotifications batch: each item is handled on its own, so a bad item does not stop the
/// others; the answer is 400 only when no item was usable.
/// </summary>
public sealed class NotificationBatch(CallScreener screener, TimeProvider clock, ILogger<NotificationBatch> logger)
{
    public async Task<Results<Accepted<BatchReport>, NoContent, ProblemHttpResult>> HandleAsync(
        HttpContext http, bool terminationsOnly, CancellationToken ct)
    {
        var receivedAt = clock.GetUtcNow();
        if (RequestBody.CheckContentType(http.Request) is { } unsupported) return Refused(unsupported);
        var (body, unreadable) = await RequestBody.ReadAsync(http.Request, ct);
        if (unreadable is not null) return Refused(unreadable);

        switch (NotificationParser.Parse(body))
        {
            case Envelope.Legacy:
                Log.LegacyFormat(logger);
                return TypedResults.NoContent();
            case Envelope.Invalid invalid:
                Log.InvalidEnvelope(logger, invalid.Detail);
                return Invalid(invalid.Detail, []);
            case Envelope.Batch batch:
                return await HandleBatchAsync(http, batch, terminationsOnly, receivedAt, ct);
            default:
                throw new InvalidOperationException("Unknown envelope.");
        }
    }

    private async Task<Results<Accepted<BatchReport>, NoContent, ProblemHttpResult>> HandleBatchAsync(
        HttpContext http, Envelope.Batch batch, bool terminationsOnly, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var reports = new List<ItemReport>(batch.Items.Count);
        foreach (var item in batch.Items) reports.Add(await HandleItemAsync(item, terminationsOnly, receivedAt, ct));

        var bad = reports.Where(r => r.Outcome == "invalid").ToList();
        if (bad.Count > 0 && bad.Count == reports.Count)
            return Invalid(bad.Count == 1 ? bad[0].Error! : $"None of the {bad.Count} notifications is usable.", bad.Select(r => r.Error!));

        if (reports.Any(r => r.Outcome == "failed"))
        {
            // Graph delivers again after a 5xx: what could not be stored is not lost.
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage unavailable",
                detail: "Some notifications could not be recorded; send them again.",
                extensions: new Dictionary<string, object?> { ["items"] = reports });
        }
        return TypedResults.Accepted((string?)null, new BatchReport(reports));
    }

    private async Task<ItemReport> HandleItemAsync(Item item, bool terminationsOnly, DateTimeOffset receivedAt, CancellationToken ct)
    {
        switch (item)
        {
            case Item.Bad bad:
                Log.BadItem(logger, bad.Index, bad.Error);
                return new ItemReport(bad.Index, null, "invalid", Error: bad.Error);
            case Item.Ignored ignored:
                return new ItemReport(ignored.Index, null, "ignored");
            case Item.Call { Event: var call } when terminationsOnly && !call.IsTermination:
                return new ItemReport(item.Index, call.CallId, "ignored");
            case Item.Call { Event: var call }:
                try
                {
                    return await screener.HandleAsync(item.Index, call, receivedAt, ct);
                }
                catch (RequestFailedException e)
                {
                    Log.StorageFailed(logger, e, call.CallId);
                    return new ItemReport(item.Index, call.CallId, "failed", Error: "Storage unavailable.");
                }
            default:
                throw new InvalidOperationException("Unknown item.");
        }
    }

    private ProblemHttpResult Refused(ProblemHttpResult problem)
    {
        Log.InvalidEnvelope(logger, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "");
        return problem;
    }

    private static ProblemHttpResult Invalid(string detail, IEnumerable<string> errors) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid notification",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });
}
