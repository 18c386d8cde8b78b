using System.Text.RegularExpressions;
using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>
/// A Caller or Callee column: comma-separated terms, any of which may match. A term is an exact number or identity id,
/// a prefix ending in <c>*</c>, a regular expression after <c>re:</c>, or <c>anonymous</c> (a caller with no usable identity,
/// see <see cref="Party.IsAnonymous"/>).
/// </summary>
public sealed class Pattern
{
    public const int MaxRegexLength = 500;
    public const string Anonymous = "anonymous";

    // A user-typed regex must not stall the handler: the non-backtracking engine runs in linear time, so it needs no
    // timeout (its lazy set-up would count against one); patterns it cannot run get the backtracking engine, bounded.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly string[] _exact;
    private readonly string[] _prefixes;
    private readonly Regex[] _regexes;

    private Pattern(string text, string[] exact, string[] prefixes, Regex[] regexes, bool anonymous)
    {
        Text = text;
        _exact = exact;
        _prefixes = prefixes;
        _regexes = regexes;
        MatchesAnonymous = anonymous;
    }

    public string Text { get; }

    /// <summary>The exact terms, normalized; an index over them lets large rule sets skip non-matching rules.</summary>
    public IReadOnlyList<string> ExactTerms => _exact;

    public bool MatchesAnonymous { get; }

    /// <summary>The compiled <c>re:</c> terms, for tests to check which engine and timeout bound each.</summary>
    internal IReadOnlyList<Regex> Regexes => _regexes;

    public bool HasOnlyExactTerms => _prefixes.Length == 0 && _regexes.Length == 0 && !MatchesAnonymous;

    /// <param name="text">The column's text.</param>
    /// <param name="allowAnonymous">Only a caller can be anonymous: on Callee the term is refused rather than never matching.</param>
    public static Pattern Parse(string text, bool allowAnonymous = true)
    {
        var exact = new List<string>();
        var prefixes = new List<string>();
        var regexes = new List<Regex>();
        var anonymous = false;
        foreach (var raw in SplitTerms(text))
        {
            var term = raw.Trim();
            if (term.Length == 0) continue;
            if (term.Equals(Anonymous, StringComparison.OrdinalIgnoreCase))
            {
                if (!allowAnonymous)
                    throw new FormatException("the term anonymous applies to Caller only: a called party always has an identity");
                anonymous = true;
            }
            else if (term.StartsWith("re:", StringComparison.OrdinalIgnoreCase))
                regexes.Add(CompileRegex(term[3..]));
            else if (term.EndsWith('*'))
                prefixes.Add(Identity.Normalize(term[..^1]));
            else
                exact.Add(Identity.Normalize(term));
        }
        if (exact.Count + prefixes.Count + regexes.Count == 0 && !anonymous) throw new FormatException("the pattern has no terms");
        return new Pattern(text, [.. exact], [.. prefixes], [.. regexes], anonymous);
    }

    public bool Matches(Party party)
    {
        if (MatchesAnonymous && party.IsAnonymous) return true;
        // Indexed, not foreach: enumerating an IReadOnlyList allocates, and this runs once per rule scanned.
        var identities = party.Identities;
        for (var i = 0; i < identities.Count; i++)
            if (identities[i].Id.Length > 0 && Matches(identities[i])) return true;
        return false;
    }

    public bool MatchesAny(IReadOnlyList<Party> parties)
    {
        for (var i = 0; i < parties.Count; i++)
            if (Matches(parties[i])) return true;
        return false;
    }

    private bool Matches(Identity identity)
    {
        var key = identity.Key;
        foreach (var term in _exact)
            if (string.Equals(term, key, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var prefix in _prefixes)
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var regex in _regexes)
        {
            try
            {
                if (regex.IsMatch(identity.Id)) return true;
            }
            catch (RegexMatchTimeoutException)
            {
                // Treated as no match: a pathological pattern costs at most the timeout per id.
            }
        }
        return false;
    }

    private static Regex CompileRegex(string pattern)
    {
        if (pattern.Length == 0) throw new FormatException("re: is followed by no regular expression");
        if (pattern.Length > MaxRegexLength)
            throw new FormatException($"the regular expression is longer than {MaxRegexLength} characters");
        const RegexOptions options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; the timeout bounds it.
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"bad regular expression: {e.Message}");
        }
        return new Regex(pattern, options, RegexTimeout);
    }

    /// <summary>Splits on commas outside brackets and escapes, so <c>re:^\+1\d{3,5}</c> stays one term.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var inClass = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') { i++; continue; }
            if (inClass) { inClass = c != ']'; continue; }
            switch (c)
            {
                case '[': inClass = true; break;
                case '(' or '{': depth++; break;
                case ')' or '}': depth = Math.Max(0, depth - 1); break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }
}
