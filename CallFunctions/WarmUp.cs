using CallFunctions.Rules;

namespace CallFunctions;

/// <summary>Reads the rules once at start-up, so the first ringing call does not wait for the table.</summary>
internal sealed class WarmUp(RuleCache rules) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken) => await rules.GetAsync(stoppingToken);
}
