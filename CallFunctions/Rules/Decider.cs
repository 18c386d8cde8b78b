using CallFunctions.Model;
using Microsoft.Extensions.Options;

namespace CallFunctions.Rules;

/// <summary>The rules in use applied to a call: the evaluator on the cached rules, with the configured default action.</summary>
public sealed class Decider(RuleCache rules, IOptions<RulesOptions> options)
{
    private readonly Lazy<Fallback> _fallback = new(() => options.Value.ToFallback());

    public async ValueTask<Decision> DecideAsync(CallContext call, Stage stage, DateTimeOffset at, CallerRings? rings, CancellationToken ct) =>
        RuleEvaluator.Evaluate(await rules.GetAsync(ct), call, stage, _fallback.Value, at, rings: rings);

    /// <summary>Whether a call in progress can be hung up at all: most deployments have no HangUp rule.</summary>
    public async ValueTask<bool> MayHangUpAsync(CancellationToken ct) =>
        (await rules.GetAsync(ct)).HasHangUpRules || options.Value.DefaultAction == RuleAction.HangUp;

    /// <summary>What a ringing call's Repeat rules need counted; null (no storage request) when its scope has none.</summary>
    public async ValueTask<RepeatNeed?> RepeatsAsync(CallContext call, CancellationToken ct) =>
        call.Source.IsAnonymous ? null : (await rules.GetAsync(ct)).RepeatsFor(call.TenantId);
}
