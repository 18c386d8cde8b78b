using CallFunctions;
using CallFunctions.Calls;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ListenOnHandlerPort();

builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage();
builder.Services.AddRules();
builder.Services.AddCalls();
builder.Services.AddOutcomes();
builder.Services.AddNotifications();
builder.Services.AddHostedService<WarmUp>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapNotifications();
app.MapOutcomes();

return await app.RunOrExplainAsync();

public partial class Program;
