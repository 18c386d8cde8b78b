using CallFunctions.Auth;
using CallFunctions.Webhook;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// The callbackUri given on reject: records how each call ended; other notifications are ignored. The same pipeline as
/// <see cref="CallNotifications"/>; a termination's record is written by <c>Records/CallRecords</c>, its meaning from
/// <c>Records/TerminationCodes</c>.
/// </summary>
public sealed class CallOutcomes(GraphTokenCheck token, WebhookHandler webhook)
{
    [Function(nameof(CallOutcomes))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/outcomes")] HttpRequest request, CancellationToken ct) =>
        await token.RefuseAsync(request) ?? await webhook.HandleAsync(request.HttpContext, terminationsOnly: true, ct);
}
