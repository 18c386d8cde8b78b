using CallFunctions;
using Microsoft.Azure.Functions.Worker.Builder;

// The same executable is the operator's tool: `CallFunctions rules …`, `CallFunctions outcomes …`.
if (Commands.IsCommand(args)) return await Commands.RunAsync(args);

// The Functions host starts the worker in the app folder, where host.json and appsettings.json sit.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The host receives the worker's logs without their event ids; a configured console (Logging__Console__FormatterName=json)
// also writes them whole to the worker's standard output, which the host relays.
if (builder.Configuration.GetSection("Logging:Console").Exists()) builder.Logging.AddConsole();
builder.Services.AddCallFunctions(builder.Configuration);
builder.Services.AddWebhookWork();

using var host = builder.Build();
return await host.RunOrExplainAsync();
