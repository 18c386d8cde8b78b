using CallFunctions.Graph;
using CallFunctions.Notifications;
using CallFunctions.Screening;
using CallFunctions.Calls;
using CallFunctions.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallFunctions.Webhook;

/// <summary>
/// Answers one POST of a commsNotifications batch: each item is handled on its own, so a bad item does not stop the
/// others; the answer is 400 only when no item was usable. The answer comes within Calls__ResponseSeconds whatever
/// Graph or storage do; work still running then finishes after it.
/// </summary>
public sealed class NotificationBatch(
    BatchWork work,
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
        var running = inFlight.Run(() => work.RunAsync(batch.Items, reports, terminationsOnly, receivedAt, chainId));
        var budget = receivedAt + TimeSpan.FromSeconds(options.Value.ResponseSeconds) - clock.GetUtcNow();
        try
        {
            await running.WaitAsync(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, clock, ct);
        }
        catch (TimeoutException)
        {
            Log.AnsweredBeforeDone(logger, reports.Count(r => r is null));
        }
        if (inFlight.Crowded) http.Response.Headers.Connection = "close";

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
