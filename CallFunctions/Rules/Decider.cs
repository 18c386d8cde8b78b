using CallFunctions.Model;
using Microsoft.Extensions.Options;

namespace CallFunctions.Rules;

/// <summary>The rules in use applied to a call: the evaluator on the cached rules, with the configured default action.</summary>
public sealed class Decider(RuleCache rules, IOptions<RulesOptions> options)
{
    public async ValueTask<Decision> DecideAsync(CallContext call, Stage stage, DateTimeOffset at, CancellationToken ct) =>
        RuleEvaluator.Evaluate(await rules.GetAsync(ct), call, stage, options.Value.DefaultAction, at);

    /// <summary>Whether a call in progress can be hung up at all: most deployments have no HangUp rule.</summary>
    public async ValueTask<bool> MayHangUpAsync(CancellationToken ct) =>
        (await rules.GetAsync(ct)).HasHangUpRules || options.Value.DefaultAction == RuleAction.HangUp;
}
