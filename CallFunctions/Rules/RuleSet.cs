using System.Collections.Concurrent;
using CallFunctions.Model;

namespace CallFunctions.Rules;

/// <summary>
/// Every parsed rule of the table. A tenant's calls see the "default" rules merged with that tenant's own,
/// ordered by priority then name; the merged index is built once per tenant and stage.
/// </summary>
public sealed class RuleSet
{
    /// <summary>The scopes that have an enabled rule; a tenant without one shares the "default" index.</summary>
    private readonly HashSet<string> _scopes;
    private readonly ConcurrentDictionary<(string Scope, Stage Stage), RuleIndex> _indexes = new();

    public RuleSet(IReadOnlyList<Rule> rules, IReadOnlyList<RowError>? errors = null)
    {
        Rules = rules;
        Errors = errors ?? [];
        _scopes = rules.Where(r => r.Enabled).Select(r => r.Scope).ToHashSet(StringComparer.OrdinalIgnoreCase);
        HasHangUpRules = rules.Any(r => r.Enabled && r.Action == RuleAction.HangUp);
    }

    public static RuleSet Empty { get; } = new([]);

    public IReadOnlyList<Rule> Rules { get; }

    public IReadOnlyList<RowError> Errors { get; }

    public bool HasHangUpRules { get; }

    /// <summary>Every rule a tenant's calls see, enabled or not, in evaluation order.</summary>
    public IEnumerable<Rule> InScope(string? tenantId) => Rule.InEvaluationOrder(Rules.Where(r => Rule.ScopeCovers(r.Scope, tenantId)));

    public IEnumerable<RowError> ErrorsInScope(string? tenantId) => Errors.Where(e => Rule.ScopeCovers(e.PartitionKey, tenantId));

    /// <summary>
    /// What the enabled Repeat rules a ringing call of this tenant meets need counted: the largest window and count;
    /// null when there is none.
    /// </summary>
    public RepeatNeed? RepeatsFor(string? tenantId) => For(tenantId, Stage.Incoming).Repeats;

    /// <summary>The index of the rules that can decide for a tenant's calls at a stage, built on first use.</summary>
    internal RuleIndex For(string? tenantId, Stage stage)
    {
        var scope = tenantId is not null && _scopes.Contains(tenantId) ? tenantId : Rule.DefaultScope;
        return _indexes.GetOrAdd((scope, stage), key => new RuleIndex(
            InScope(key.Scope).Where(r => r.Enabled && RuleEvaluator.AppliesAt(r.Action, key.Stage))));
    }
}
