using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>
/// The enabled rules of one scope and stage in evaluation order, with rules whose Caller or Callee is a list of exact
/// numbers or ids indexed by them, so their cost does not grow with their count. Time conditions and CallType are
/// checked only on the candidates a lookup finds, so they do not take a rule out of the index.
/// </summary>
internal sealed class RuleIndex
{
    private readonly Rule[] _rules;
    private readonly Dictionary<string, int[]> _byCaller;
    private readonly Dictionary<string, int[]> _byCallee;
    private readonly int[] _scan;

    public RuleIndex(IEnumerable<Rule> rules)
    {
        _rules = [.. Rule.InEvaluationOrder(rules)];
        var byCaller = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var byCallee = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var scan = new List<int>();
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.Caller is { HasOnlyExactTerms: true } caller) Add(byCaller, caller.ExactTerms, i);
            else if (rule.Callee is { HasOnlyExactTerms: true } callee) Add(byCallee, callee.ExactTerms, i);
            else scan.Add(i);
        }
        _byCaller = byCaller.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _byCallee = byCallee.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _scan = [.. scan];
        var repeats = _rules.Select(r => r.Repeat).OfType<Repeat>().ToList();
        if (repeats.Count > 0) Repeats = new RepeatNeed(repeats.Max(r => r.Window), repeats.Max(r => r.Count));
    }

    /// <summary>What the Repeat rules here need counted: null when there is none, so a ring costs no storage request.</summary>
    public RepeatNeed? Repeats { get; }

    public Rule? FirstMatch(CallContext call, DateTimeOffset now, CallerRings? rings)
    {
        var best = int.MaxValue;
        if (_byCaller.Count > 0)
        {
            var identities = call.Source.Identities;
            for (var i = 0; i < identities.Count; i++) best = Lookup(_byCaller, identities[i], call, now, rings, best);
        }
        if (_byCallee.Count > 0)
        {
            var callees = call.Callees;
            for (var c = 0; c < callees.Count; c++)
            for (var i = 0; i < callees[c].Identities.Count; i++)
                best = Lookup(_byCallee, callees[c].Identities[i], call, now, rings, best);
        }
        foreach (var position in _scan)
        {
            if (position > best) break;
            if (Conditions.Matches(_rules[position], call, now, rings)) { best = position; break; }
        }
        return best == int.MaxValue ? null : _rules[best];
    }

    private int Lookup(Dictionary<string, int[]> index, Identity identity, CallContext call, DateTimeOffset now, CallerRings? rings, int best)
    {
        if (identity.Id.Length == 0 || !index.TryGetValue(identity.Key, out var positions)) return best;
        foreach (var position in positions)
        {
            if (position >= best) break;
            if (Conditions.Matches(_rules[position], call, now, rings)) return position;
        }
        return best;
    }

    private static void Add(Dictionary<string, List<int>> index, IReadOnlyList<string> terms, int position)
    {
        foreach (var term in terms)
        {
            if (!index.TryGetValue(term, out var list)) index[term] = list = [];
            if (list.Count == 0 || list[^1] != position) list.Add(position);
        }
    }
}
