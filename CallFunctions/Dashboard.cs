using CallFunctions.Operators.DashboardPage;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// The operators' page: the page itself, its script and style (<c>?asset=</c>), its data (<c>?view=data</c>) and its
/// what-if (<c>POST ?view=whatif</c>), all behind this one function's key.
/// </summary>
public sealed class Dashboard(DashboardApi dashboard)
{
    [Function(nameof(Dashboard))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "dashboard")] HttpRequest request, CancellationToken ct) =>
        dashboard.HandleAsync(request, ct);
}
