using System.Text.RegularExpressions;

namespace CallFunctions.Calls;

/// <summary>
/// A Target column (or <c>Rules__DefaultTarget</c>): where a Redirect rule sends a call. Comma-separated targets, each
/// <c>phone:+E164</c>, <c>user:&lt;id&gt;</c> or <c>applicationInstance:&lt;id&gt;</c> (the <c>kind:id</c> the records
/// use), or a bare number written as a Caller number may be (<c>+1 425-555-0100</c>), which means <c>phone:</c>.
/// </summary>
public static partial class Targets
{
    public const string Kinds = "phone:+E164, user:<id> or applicationInstance:<id>";

    /// <summary>Reads the column; a <see cref="FormatException"/> names the first bad target and why.</summary>
    public static IReadOnlyList<Identity> Parse(string text)
    {
        var targets = new List<Identity>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0) continue;
            var target = Target(term);
            if (targets.Contains(target)) throw new FormatException($"names {target.Kind}:{target.Id} twice");
            targets.Add(target);
        }
        if (targets.Count == 0) throw new FormatException($"has no target: write {Kinds}");
        if (targets.Count > Redirection.MaxTargets)
            throw new FormatException($"has {targets.Count} targets: Graph rings at most {Redirection.MaxTargets} at once");
        return targets;
    }

    private static Identity Target(string term)
    {
        var colon = term.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : term[..colon].Trim();
        if (kind.Equals("phone", StringComparison.OrdinalIgnoreCase) || kind.Equals("tel", StringComparison.OrdinalIgnoreCase))
            return Phone(term, term[(colon + 1)..]);
        if (kind.Equals("user", StringComparison.OrdinalIgnoreCase)) return Id(term, "user", term[(colon + 1)..]);
        if (kind.Equals("applicationInstance", StringComparison.OrdinalIgnoreCase))
            return Id(term, "applicationInstance", term[(colon + 1)..]);
        if (colon < 0 && term.Length > 0 && (term[0] == '+' || char.IsAsciiDigit(term[0]))) return Phone(term, term);
        throw new FormatException($"\"{term}\" is not a target: write {Kinds}, or a number such as +1 425-555-0100");
    }

    private static Identity Phone(string term, string number)
    {
        var normalized = Identity.Normalize(number);
        if (!E164().IsMatch(normalized))
            throw new FormatException($"\"{term}\" is not an E.164 number: + then the country code and number, 8 to 15 digits");
        return new Identity("phone", normalized);
    }

    /// <summary>Graph's user and application instance ids are Entra object ids: GUIDs.</summary>
    private static Identity Id(string term, string kind, string id) =>
        Guid.TryParse(id.Trim(), out var guid)
            ? new Identity(kind, guid.ToString("D"))
            : throw new FormatException($"\"{term}\" is not an id: {(kind == "user" ? "a user" : "an applicationInstance")} id is the Entra object id, a GUID");

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();
}
