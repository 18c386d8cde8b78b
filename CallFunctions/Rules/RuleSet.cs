using System.Collections.Concurrent;
using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>
/// Every parsed rule of the table. A tenant's calls see the "default" rules merged with that tenant's own,
/// ordered by priority then name; the merged index is built once per tenant and stage.
/// </summary>
public sealed class RuleSet
{
    /// <summary>The scopes that have an enabled rule; a tenant without one shares the "default" index.</summary>
    private readonly HashSet<string> _scopes;
    private readonly ConcurrentDictionary<(string Scope, CallStage Stage), RuleIndex> _indexes = new();

    public RuleSet(IReadOnlyList<Rule> rules, IReadOnlyList<RowError>? errors = null)
    {
        Rules = rules;
        Errors = errors ?? [];
        _scopes = rules.Where(r => r.Enabled).Select(r => r.Scope).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _acting = rules.Where(r => r.Enabled && Actions.Of(r.Action).ClaimKey is not null)
            .SelectMany(r => Actions.Of(r.Action).AppliesAt).ToHashSet();
        Challenges = rules.Any(r => r.Enabled && r.Action == RuleAction.Challenge);
    }

    /// <summary>
    /// Whether an enabled Challenge rule exists: then a later notification of a call (established, a key, its end) may
    /// belong to a challenge, and its state is read.
    /// </summary>
    public bool Challenges { get; }

    public static RuleSet Empty { get; } = new([]);

    public IReadOnlyList<Rule> Rules { get; }

    public IReadOnlyList<RowError> Errors { get; }

    private readonly HashSet<CallStage> _acting;

    /// <summary>Whether an enabled rule can do more than let a call at this stage be (most deployments have no HangUp rule).</summary>
    public bool ActsAt(CallStage stage) => _acting.Contains(stage);

    /// <summary>Every rule a tenant's calls see, enabled or not, in evaluation order.</summary>
    public IEnumerable<Rule> InScope(string? tenantId) => Rule.InEvaluationOrder(Rules.Where(r => Rule.ScopeCovers(r.Scope, tenantId)));

    public IEnumerable<RowError> ErrorsInScope(string? tenantId) => Errors.Where(e => Rule.ScopeCovers(e.PartitionKey, tenantId));

    /// <summary>
    /// What the enabled Repeat rules a ringing call of this tenant meets need counted: the largest window and count;
    /// null when there is none.
    /// </summary>
    public RepeatNeed? RepeatsFor(string? tenantId) => For(tenantId, CallStage.Incoming).Repeats;

    /// <summary>The index of the rules that can decide for a tenant's calls at a stage, built on first use.</summary>
    internal RuleIndex For(string? tenantId, CallStage stage)
    {
        var scope = tenantId is not null && _scopes.Contains(tenantId) ? tenantId : Rule.DefaultScope;
        return _indexes.GetOrAdd((scope, stage), key => new RuleIndex(
            InScope(key.Scope).Where(r => r.Enabled && Actions.Of(r.Action).AppliesAtStage(key.Stage))));
    }
}

/// <summary>Why one row of the rules table was skipped.</summary>
public sealed record RowError(string PartitionKey, string RowKey, string Column, string? Value, string Why)
{
    public override string ToString() =>
        $"{PartitionKey}/{RowKey}: column {Column}{(Value is null ? "" : $" = \"{Value}\"")}: {Why}";
}
