using CallFunctions.Auth;
using Microsoft.Azure.Functions.Worker;
using CallFunctions.Webhook;

namespace CallFunctions;

/// <summary>The callbackUri given on reject: records how each call ended; other notifications are ignored.</summary>
public sealed class CallOutcomes(GraphTokenCheck token, NotificationBatch batch)
{
    [Function(nameof(CallOutcomes))]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/outcomes")] HttpRequest request, CancellationToken ct) =>
        await token.RefuseAsync(request) ?? await batch.HandleAsync(request.HttpContext, terminationsOnly: true, ct);
}
