using CallFunctions.Notifications;
using CallFunctions.Platform;
using CallFunctions.RuleTable;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Operators.Explain;

/// <summary>The RulesExplain function's work: parse the envelope, explain each call against the rules in use.</summary>
public sealed class ExplainApi(CallExplainer explainer, RuleCache rules, TimeProvider clock, ILogger<ExplainApi> logger)
{
    public async Task<Results<Ok<ExplainReport>, ProblemHttpResult>> ExplainAsync(HttpRequest request, string? at, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (at is not null && !TimeArgument.TryParse(at, out now, out var error)) return Problem(400, "Invalid time", $"at: {error}");
        var (body, tooLarge) = await RequestBody.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;

        var envelope = NotificationParser.Parse(body);
        if (envelope is Envelope.Invalid invalid) return Problem(400, "Invalid notification", invalid.Detail);
        if (envelope is not Envelope.Batch { Items.Count: > 0 } batch)
            return Problem(400, "Invalid notification", "Nothing to explain: the body must be a commsNotifications envelope with at least one notification.");
        try
        {
            return TypedResults.Ok(await explainer.ExplainAsync(batch.Items, await rules.GetAsync(ct), now, rules.LoadedAt, ct));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            Log.RecordUnreadable(logger, e);
            return StorageFailure.Answer(request.HttpContext.Response);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
