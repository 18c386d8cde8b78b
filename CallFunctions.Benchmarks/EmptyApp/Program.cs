using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Built as CallFunctions is (the ASP.NET Core integration), so a benchmark of the app inside the Functions host can be
// compared with the least an isolated worker in the same host can do.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
using var host = builder.Build();
await host.RunAsync();

namespace EmptyApp
{
    /// <summary>The webhook's route and auth level, answering 202 with no body and doing nothing else.</summary>
    public sealed class Calls
    {
        [Function(nameof(Calls))]
        public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls")] HttpRequest request) =>
            TypedResults.Accepted((string?)null);
    }
}
