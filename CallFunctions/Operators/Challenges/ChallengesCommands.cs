using CallFunctions.Calls;
using CallFunctions.Records;

namespace CallFunctions.Operators.Challenges;

/// <summary>The operator's side of the Challenge rules' Remember: forgetting that a caller passed.</summary>
internal static class ChallengesCommands
{
    /// <summary>
    /// Forgets a caller's passes (of every Challenge rule, or of <paramref name="rule"/>): their next ring is challenged
    /// again. The caller is written as a rule's Target is (<c>+14255550123</c>, <c>user:&lt;id&gt;</c>).
    /// </summary>
    public static async Task<int> ForgetAsync(IServiceProvider services, string caller, string? rule, TextWriter output, TextWriter error)
    {
        IReadOnlyList<Identity> identities;
        try
        {
            identities = Targets.Parse(caller);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"Error: the caller {e.Message}");
            return 64; // a wrong command line (BSD's EX_USAGE), as the other tools
        }
        if (identities.Count != 1)
        {
            await error.WriteLineAsync("Error: name one caller, as a rule's Caller names a number or an id: +14255550123 or user:<id>.");
            return 64; // a wrong command line (BSD's EX_USAGE), as the other tools
        }
        var party = new Party(identities);
        var forgotten = await services.GetRequiredService<ChallengePasses>().ForgetAsync(party, rule, CancellationToken.None);
        await output.WriteLineAsync(
            $"Forgot {forgotten} pass(es) of caller {RingCounts.CallerKey(party)}{(rule is null ? "" : $" for rule {rule}")}: their next ring is challenged.");
        return 0;
    }
}
