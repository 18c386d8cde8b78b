using CallFunctions.Auth;
using CallFunctions.Webhook;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// The bot's calling webhook: every notification of every call, from Graph only. A notification's path, one file a
/// step (files beside each hold only detail):
/// <list type="number">
/// <item>this function;</item>
/// <item>the token gate, <c>Auth/GraphTokenCheck</c>, before the body is read;</item>
/// <item>the webhook handler, <c>Webhook/WebhookHandler</c>: the body, the batch, what is in flight, the answer in time;</item>
/// <item>the parser, <c>Notifications/NotificationParser</c>;</item>
/// <item>the screener, <c>Screening/CallScreener</c>: what the notification means for its call, decide, claim, act, record;</item>
/// <item>the rule evaluator, <c>Rules/RuleEvaluator</c>;</item>
/// <item>the Graph client, <c>Graph/GraphCalls</c>;</item>
/// <item>the record store, <c>Records/CallRecords</c>.</item>
/// </list>
/// What each action means is declared once, in <c>Calls/Actions</c>.
/// </summary>
public sealed class CallNotifications(GraphTokenCheck token, WebhookHandler webhook)
{
    [Function(nameof(CallNotifications))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls")] HttpRequest request, CancellationToken ct) =>
        await token.RefuseAsync(request) ?? await webhook.HandleAsync(request.HttpContext, terminationsOnly: false, ct);
}
