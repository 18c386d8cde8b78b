using CallFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>For a readiness check: answers from memory, touching neither Graph nor Table Storage.</summary>
public sealed class Health(HealthApi health)
{
    [Function(nameof(Health))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        health.Report();
}
