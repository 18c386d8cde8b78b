using System.Diagnostics;
using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Notifications;
using CallFunctions.Platform;
using CallFunctions.Platform.Performance;
using CallFunctions.Screening;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallFunctions.Webhook;

/// <summary>
/// Answers one POST of a commsNotifications batch: the body read and parsed, then each item screened in order, on its
/// own, so a bad item does not stop the others; the answer is 400 only when no item was usable. The answer comes
/// within Calls__ResponseSeconds whatever Graph or storage do; work still running then finishes after it
/// (<see cref="InFlight"/>).
/// </summary>
public sealed class WebhookHandler(
    CallScreener screener,
    InFlight inFlight,
    CallMetrics metrics,
    IOptions<CallsOptions> options,
    TimeProvider clock,
    ILogger<WebhookHandler> logger)
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
                return await AnswerAsync(http, batch, terminationsOnly, receivedAt, ct);
            default:
                throw new InvalidOperationException("Unknown envelope.");
        }
    }

    private async Task<Results<Accepted<BatchReport>, NoContent, ProblemHttpResult>> AnswerAsync(
        HttpContext http, Envelope.Batch batch, bool terminationsOnly, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var reports = new ItemReport?[batch.Items.Count];
        var chainId = http.Request.Headers[ChainIdHeader].FirstOrDefault();
        // The work must not stop when the answer has gone, nor when Graph hangs up the request.
        var running = inFlight.Run(() => ScreenAllAsync(batch.Items, reports, terminationsOnly, receivedAt, chainId));
        var budget = receivedAt + TimeSpan.FromSeconds(options.Value.ResponseSeconds) - clock.GetUtcNow();
        try
        {
            await running.WaitAsync(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, clock, ct);
        }
        catch (TimeoutException)
        {
            Log.AnsweredBeforeDone(logger, reports.Count(r => r is null));
        }
        CrowdedConnections.CloseWhenCrowded(http.Response, inFlight.Count);

        var snapshot = batch.Items.Select((item, i) => Volatile.Read(ref reports[i]) ?? Pending(item)).ToList();
        var bad = snapshot.Where(r => r.Outcome == ItemOutcome.Invalid).ToList();
        if (bad.Count > 0 && bad.Count == snapshot.Count)
            return Invalid(bad.Count == 1 ? bad[0].Error! : $"None of the {bad.Count} notifications is usable.", bad.Select(r => r.Error!));

        if (snapshot.Any(r => r.Outcome == ItemOutcome.Failed))
        {
            // Graph delivers again after a 5xx: what could not be stored nor held is not lost.
            return StorageFailure.Answer(http.Response, new Dictionary<string, object?> { ["items"] = snapshot });
        }
        return TypedResults.Accepted((string?)null, new BatchReport(snapshot));
    }

    /// <summary>
    /// The batch's items in order, each in its own log scope and span: two notifications of one call in one batch
    /// (established, then terminated) keep their sequence. Fills <paramref name="reports"/> as items finish, so an
    /// answer given before the end shows what is done.
    /// </summary>
    private async Task ScreenAllAsync(IReadOnlyList<Item> items, ItemReport?[] reports, bool terminationsOnly, DateTimeOffset receivedAt, string? chainId)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var call = (item as Item.Call)?.Event;
            using var scope = logger.BeginScope(new Dictionary<string, object?>
            {
                ["CallId"] = call?.CallId,
                ["ChainId"] = chainId ?? call?.ChainId,
            });
            using var activity = metrics.Traces.StartActivity("notification");
            activity?.SetTag("call.id", call?.CallId);
            activity?.SetTag("call.chain_id", chainId);
            var report = await ScreenAsync(item, terminationsOnly, receivedAt);
            activity?.SetTag("call.outcome", CamelCaseEnum<ItemOutcome>.Name(report.Outcome));
            if (report.Rule is not null) activity?.SetTag("call.rule", report.Rule);
            if (report.Outcome is ItemOutcome.Failed or ItemOutcome.Invalid) activity?.SetStatus(ActivityStatusCode.Error, report.Error);
            Volatile.Write(ref reports[i], report);
        }
    }

    /// <summary>One item: a call event goes to the screener; what cannot be stored nor held fails its item only.</summary>
    private async Task<ItemReport> ScreenAsync(Item item, bool terminationsOnly, DateTimeOffset receivedAt)
    {
        switch (item)
        {
            case Item.Bad bad:
                Log.BadItem(logger, bad.Index, bad.Error);
                return new ItemReport(bad.Index, null, ItemOutcome.Invalid, Error: bad.Error);
            case Item.Ignored ignored:
                return new ItemReport(ignored.Index, null, ItemOutcome.Ignored);
            case Item.Call { Event: var call } when terminationsOnly && !call.IsTermination:
                return new ItemReport(item.Index, call.CallId, ItemOutcome.Ignored);
            case Item.Call { Event: var call }:
                try
                {
                    var screened = await screener.HandleAsync(call, receivedAt, CancellationToken.None);
                    return new ItemReport(item.Index, call.CallId, screened.Outcome, screened.Rule,
                        screened.Graph?.Status, screened.Graph?.Attempts, screened.Graph?.DryRun, screened.Meaning);
                }
                catch (Exception e) when (StorageFailure.IsFailure(e, CancellationToken.None))
                {
                    Log.StorageFailed(logger, e, call.CallId);
                    return new ItemReport(item.Index, call.CallId, ItemOutcome.Failed, Error: "Storage unavailable.");
                }
            default:
                throw new InvalidOperationException("Unknown item.");
        }
    }

    private const string ChainIdHeader = "X-Microsoft-Skype-Chain-ID";

    private static ItemReport Pending(Item item) =>
        new(item.Index, (item as Item.Call)?.Event.CallId, ItemOutcome.Pending);

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
