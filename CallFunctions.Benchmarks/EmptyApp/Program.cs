// Started as the handler is (FUNCTIONS_CUSTOMHANDLER_PORT on loopback, the same slim builder), so a cold start of the
// handler can be compared with the least an ASP.NET Core app can do.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "7071"}");
var app = builder.Build();
app.MapPost("/api/calls", () => TypedResults.Accepted((string?)null));
await app.RunAsync();
