using CallFunctions.Notifications;

namespace CallFunctions.Outcomes;

public static class OutcomesApi
{
    public const string Route = "/api/calls/outcomes";

    /// <summary>The callbackUri given on reject: records how each call ended; other notifications are ignored.</summary>
    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext http, NotificationBatch batch, CancellationToken ct) =>
            batch.HandleAsync(http, terminationsOnly: true, ct));
        return app;
    }
}
