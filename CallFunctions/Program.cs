using CallFunctions;
using CallFunctions.Auth;
using CallFunctions.Calls;
using CallFunctions.DashboardPage;
using CallFunctions.Diagnostics;
using CallFunctions.Explain;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;
using CallFunctions.Telemetry;
using CallFunctions.Replay;

if (Commands.IsCommand(args)) return await Commands.RunAsync(args);

// The Functions host starts the handler in the app root; its appsettings.json sits beside the binary.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.ListenOnHandlerPort();
builder.LimitRequests();

builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddTelemetry(builder.Configuration);
builder.Services.AddAuth();
builder.Services.AddStorage();
builder.Services.AddRules();
builder.Services.AddCalls();
builder.Services.AddOutcomes();
builder.Services.AddNotifications();
builder.Services.AddExplain();
builder.Services.AddWhatIf();
builder.Services.AddHostedService<WarmUp>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
// Both webhooks are Graph's: every request must carry Microsoft's token for the bot.
var graphWebhooks = app.MapGroup("").RequireGraphToken();
graphWebhooks.MapNotifications();
graphWebhooks.MapOutcomes();
app.MapExplain();
app.MapOutcomesSummary();
app.MapWhatIf();
app.MapDashboard();
app.MapHealth();
app.MapBareEndpoint();

return await app.RunOrExplainAsync();

public partial class Program;
