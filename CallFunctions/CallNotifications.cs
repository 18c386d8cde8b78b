using CallFunctions.Auth;
using CallFunctions.Webhook;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// The bot's calling webhook: every notification of every call, from Graph only. Where each step lives:
/// <list type="bullet">
/// <item>Graph's token: <c>Auth/GraphTokenCheck</c>, before the body is read.</item>
/// <item>Read, parse, answer within the budget: <c>Webhook/NotificationBatch</c> (parsing in <c>Notifications/</c>).</item>
/// <item>One call: <c>Screening/CallScreener</c>; what the notification means in <c>Screening/CallStep</c>, the rules in
/// <c>Rules/RuleEvaluator</c>, claim, Graph and record in <c>Screening/CallActions</c> (<c>Calls/GraphCalls</c>), the
/// record's columns in <c>Outcomes/CallRecord</c>.</item>
/// </list>
/// </summary>
public sealed class CallNotifications(GraphTokenCheck token, WebhookHandler webhook)
{
    [Function(nameof(CallNotifications))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls")] HttpRequest request, CancellationToken ct) =>
        await token.RefuseAsync(request) ?? await webhook.HandleAsync(request.HttpContext, terminationsOnly: false, ct);
}
