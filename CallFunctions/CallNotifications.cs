using CallFunctions.Auth;
using Microsoft.Azure.Functions.Worker;
using CallFunctions.Webhook;

namespace CallFunctions;

/// <summary>The bot's calling webhook: every notification of every call, from Graph only.</summary>
public sealed class CallNotifications(GraphTokenCheck token, NotificationBatch batch)
{
    [Function(nameof(CallNotifications))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls")] HttpRequest request, CancellationToken ct) =>
        await token.RefuseAsync(request) ?? await batch.HandleAsync(request.HttpContext, terminationsOnly: false, ct);
}
