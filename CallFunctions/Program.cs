using CallFunctions;
using Microsoft.Azure.Functions.Worker.Builder;

// The same executable is the operator's tool: `CallFunctions rules …`, `CallFunctions outcomes …`.
if (Commands.IsCommand(args)) return await Commands.RunAsync(args);

// The Functions host starts the worker in the app folder, where host.json and appsettings.json sit.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCallFunctions(builder.Configuration);
builder.Services.AddWebhookWork();

using var host = builder.Build();
return await host.RunOrExplainAsync();
