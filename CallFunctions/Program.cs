using CallFunctions;
using CallFunctions.Calls;
using CallFunctions.Explain;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;

if (Commands.IsCommand(args)) return await Commands.RunAsync(args);

// The Functions host starts the handler in the app root; its appsettings.json sits beside the binary.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.ListenOnHandlerPort();

builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage();
builder.Services.AddRules();
builder.Services.AddCalls();
builder.Services.AddOutcomes();
builder.Services.AddNotifications();
builder.Services.AddExplain();
builder.Services.AddHostedService<WarmUp>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapNotifications();
app.MapOutcomes();
app.MapExplain();

return await app.RunOrExplainAsync();

public partial class Program;
