using CallFunctions.Storage;
using Azure;
using System.Diagnostics;
using CallFunctions.Calls;
using CallFunctions.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallFunctions.Notifications;

/// <summary>
/// Answers one POST of a commsNotifications batch: each item is handled on its own, so a bad item does not stop the
/// others; the answer is 400 only when no item was usable. The answer comes within Calls__ResponseSeconds whatever
/// Graph or storage do; work still running then finishes after it.
/// </summary>
public sealed class NotificationBatch(
    CallScreener screener,
    InFlight inFlight,
    IOptions<CallsOptions> options,
    TimeProvider clock,
    ILogger<NotificationBatch> logger)
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
        var reports = new ItemReport?[batch.Items.Count];
        var chainId = http.Request.Headers[ChainIdHeader].FirstOrDefault();
        // The work must not stop when the answer has gone, nor when Graph hangs up the request.
        var work = inFlight.Run(() => HandleItemsAsync(batch, reports, terminationsOnly, receivedAt, chainId));
        var budget = receivedAt + TimeSpan.FromSeconds(options.Value.ResponseSeconds) - clock.GetUtcNow();
        try
        {
            await work.WaitAsync(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, clock, ct);
        }
        catch (TimeoutException)
        {
            Log.AnsweredBeforeDone(logger, reports.Count(r => r is null));
        }

        var snapshot = batch.Items.Select((item, i) => Volatile.Read(ref reports[i]) ?? Pending(item)).ToList();
        var bad = snapshot.Where(r => r.Outcome == "invalid").ToList();
        if (bad.Count > 0 && bad.Count == snapshot.Count)
            return Invalid(bad.Count == 1 ? bad[0].Error! : $"None of the {bad.Count} notifications is usable.", bad.Select(r => r.Error!));

        if (snapshot.Any(r => r.Outcome == "failed"))
        {
            // Graph delivers again after a 5xx: what could not be stored nor held is not lost.
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage unavailable",
                detail: "Some notifications could not be recorded; send them again.",
                extensions: new Dictionary<string, object?> { ["items"] = snapshot });
        }
        return TypedResults.Accepted((string?)null, new BatchReport(snapshot));
    }

    private const string ChainIdHeader = "X-Microsoft-Skype-Chain-ID";

    private async Task<ItemReport?[]> HandleItemsAsync(
        Envelope.Batch batch, ItemReport?[] reports, bool terminationsOnly, DateTimeOffset receivedAt, string? chainId)
    {
        // In order: two notifications of one call in one batch (established, then terminated) keep their sequence.
        for (var i = 0; i < batch.Items.Count; i++)
        {
            var item = batch.Items[i];
            var callId = (item as Item.Call)?.Event.CallId;
            using var scope = logger.BeginScope(new Dictionary<string, object?>
            {
                ["CallId"] = callId,
                ["ChainId"] = chainId ?? (item as Item.Call)?.Event.ChainId,
            });
            using var activity = CallMetrics.Traces.StartActivity("notification");
            activity?.SetTag("call.id", callId);
            activity?.SetTag("call.chain_id", chainId);
            var report = await HandleItemAsync(item, terminationsOnly, receivedAt);
            activity?.SetTag("call.outcome", report.Outcome);
            if (report.Rule is not null) activity?.SetTag("call.rule", report.Rule);
            if (report.Outcome is "failed" or "invalid") activity?.SetStatus(ActivityStatusCode.Error, report.Error);
            Volatile.Write(ref reports[i], report);
        }
        return reports;
    }

    private static ItemReport Pending(Item item) =>
        new(item.Index, (item as Item.Call)?.Event.CallId, "pending");

    private async Task<ItemReport> HandleItemAsync(Item item, bool terminationsOnly, DateTimeOffset receivedAt)
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
                    return await screener.HandleAsync(item.Index, call, receivedAt, CancellationToken.None);
                }
                catch (Exception e) when (e is RequestFailedException or IOException or UnauthorizedAccessException || StorageErrors.IsUnavailable(e, default))
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
