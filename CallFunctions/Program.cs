using CallFunctions;
using Microsoft.Azure.Functions.Worker.Builder;

// The same executable is the operator's tool: `CallFunctions rules …`, `CallFunctions outcomes …`.
if (Commands.IsCommand(args)) return await Commands.RunAsync(args);
// The Functions host always starts the worker with arguments (its address, the worker id): none means a person did.
if (args.Length == 0) return await Commands.RunAsync(["help"]);

// The Functions host starts the worker in the app folder, where host.json and appsettings.json sit.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The host receives the worker's logs without their event ids; a configured console (Logging__Console__FormatterName=json)
// also writes them whole to the worker's standard output, which the host relays.
if (builder.Configuration.GetSection("Logging:Console").Exists()) builder.Logging.AddConsole();
// The worker's own request line ("Request starting … /api/calls?code=…") would carry the function key. A filter set in
// code wins over a same-named setting, so no log-level setting brings it back.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.Services.AddCallFunctions(builder.Configuration);
builder.Services.AddWebhookWork();

using var host = builder.Build();
return await host.RunOrExplainAsync();
