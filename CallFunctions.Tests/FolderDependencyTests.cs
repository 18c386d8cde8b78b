using System.Text.RegularExpressions;

namespace CallFunctions.Tests;

/// <summary>
/// The code flows one way. A notification goes function -> token gate -> webhook handler -> parser -> screener -> rule
/// evaluator -> Graph client -> record store, and each folder names only the folders listed before it in
/// <see cref="Flow"/> (what it calls, and the call model), so no two folders use each other, directly or around a circle.
/// The function files at the root (one per function) and <c>Program.cs</c> may use any folder.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>The folders in the order the code may flow: a folder uses only folders listed before it.</summary>
    private static readonly string[] Flow =
    [
        "Calls",          // the call as Graph describes it (CallEvent, CallStage, CallContext) and the actions, each declared once
        "Platform",       // storage, the one storage-failure policy, credentials, telemetry, the clock, bounded memory; Performance/ the tuning knobs
        "Auth",           // the token gate: Graph's token and Microsoft's signing keys
        "Notifications",  // the parser: a request body into call events
        "Rules",          // the rule evaluator: pure, with its conditions, index and trace
        "RuleTable",      // where rules come from: the table, its rows, the cache; Files/ import and export
        "Graph",          // the Graph client: reject, redirect and hang up
        "Records",        // the record store: call records, the per-call memory, claims, the index, counted rings, retention
        "Screening",      // the screener: one call event through what it means -> decide -> claim -> act -> record
        "Webhook",        // the webhook handler: body, batch, what is in flight, the answer in time
        "Operators",      // explain, what-if, the outcomes' summary, the page, the rules tool: handler -> pure core
    ];

    [GeneratedRegex(@"\bCallFunctions((?:\.[A-Z][A-Za-z]*)+)")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z][A-Za-z0-9]*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*\b")]
    private static partial Regex Identifier();

    /// <summary>String literals and comments, which name things without using them.</summary>
    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|//[^\n]*")]
    private static partial Regex Prose();

    /// <summary>
    /// Which folder's code uses which other folder's, at every depth: <c>RuleTable/Files</c> is a folder of its own, and
    /// <c>""</c> is the root namespace (the function files, <c>Program.cs</c>, the tools' entry). A file uses a folder
    /// when it names its namespace, or when it names a type of an enclosing namespace, which C# lets it use unnamed.
    /// </summary>
    private static Dictionary<string, SortedSet<string>> UsesAtEveryDepth()
    {
        var app = Repo.Path("CallFunctions");
        string FolderOf(string file) => Path.GetRelativePath(app, Path.GetDirectoryName(file)!).Replace('\\', '/') is var f && f == "." ? "" : f;
        var files = Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(app, f).Split(Path.DirectorySeparatorChar)[0].Equals("bin", StringComparison.Ordinal)
                        && !Path.GetRelativePath(app, f).Split(Path.DirectorySeparatorChar)[0].Equals("obj", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Prose().Replace(File.ReadAllText(f), " "));
        var folders = files.Keys.Select(FolderOf).ToHashSet(StringComparer.Ordinal);
        var declared = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var (file, text) in files)
        foreach (Match match in Declaration().Matches(text))
            declared[FolderOf(file)].Add(match.Groups[1].Value);

        var uses = folders.ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var (file, text) in files)
        {
            var folder = FolderOf(file);
            foreach (Match match in NamespaceName().Matches(text))
            {
                // The longest folder that the name names: CallFunctions.RuleTable.Files.RulesJson names RuleTable/Files.
                var segments = match.Groups[1].Value.TrimStart('.').Split('.');
                for (var n = segments.Length; n > 0; n--)
                {
                    var named = string.Join('/', segments.Take(n));
                    if (!folders.Contains(named)) continue;
                    if (named != folder) uses[folder].Add(named);
                    break;
                }
            }
            var enclosing = Enclosing(folder).Where(folders.Contains).ToList();
            var names = Identifier().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var outer in enclosing)
                if (names.Any(n => declared[outer].Contains(n) && !declared[folder].Contains(n))) uses[folder].Add(outer);
        }
        return uses;
    }

    /// <summary>The namespaces that enclose a folder's, innermost first: RuleTable/Files is inside RuleTable, inside the root.</summary>
    private static IEnumerable<string> Enclosing(string folder)
    {
        if (folder.Length == 0) yield break;
        for (var slash = folder.LastIndexOf('/'); slash > 0; slash = folder.LastIndexOf('/', slash - 1))
            yield return folder[..slash];
        yield return "";
    }

    /// <summary>The top folders' uses (a subfolder counts as its folder), without the root's.</summary>
    private static Dictionary<string, SortedSet<string>> Uses()
    {
        static string Top(string folder) => folder.Split('/')[0];
        var uses = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (folder, used) in UsesAtEveryDepth())
        {
            if (folder.Length == 0) continue;
            var set = uses.TryGetValue(Top(folder), out var s) ? s : uses[Top(folder)] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var u in used.Select(Top).Where(u => u != Top(folder))) set.Add(u);
        }
        return uses;
    }

    [Fact]
    public void EveryFeatureFolderHasItsPlaceInTheFlow()
    {
        var unplaced = Uses().Keys.Where(f => !Flow.Contains(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unplaced.Count == 0, $"Folders missing from the flow: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void EachFolderUsesOnlyFoldersBeforeItInTheFlow()
    {
        var backwards = new List<string>();
        foreach (var (folder, used) in Uses())
        {
            var position = Array.IndexOf(Flow, folder);
            if (position < 0) continue;
            backwards.AddRange(used.Where(u => Array.IndexOf(Flow, u) > position).Select(u => $"{folder} uses {u}"));
        }
        Assert.True(backwards.Count == 0, "Against the flow: " + string.Join("; ", backwards));
    }

    [Fact]
    public void NoFolderReachesItselfAroundACircle()
    {
        // Subfolders and the root namespace count: RuleTable -> RuleTable/Files -> RuleTable is a circle, and so is a folder naming
        // a type of the root, whose function files use every folder.
        var uses = UsesAtEveryDepth();
        var circles = new List<string>();
        foreach (var start in uses.Keys)
        {
            var path = new Stack<string>();
            Walk(start);

            void Walk(string folder)
            {
                path.Push(folder);
                foreach (var next in uses[folder])
                {
                    if (next == start) circles.Add(string.Join(" -> ", path.Reverse().Append(start).Select(f => f.Length == 0 ? "(root)" : f)));
                    else if (!path.Contains(next)) Walk(next);
                }
                path.Pop();
            }
        }
        Assert.True(circles.Count == 0, "Circles: " + string.Join("; ", circles.Distinct()));
    }

    [Fact]
    public void NoFolderUsesTheRootNamespace()
    {
        var users = UsesAtEveryDepth().Where(u => u.Key.Length > 0 && u.Value.Contains("")).Select(u => u.Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(users.Count == 0, "Folders using the root namespace: " + string.Join(", ", users));
    }

    [Fact]
    public void TheRootUsesTheFeatureFolders() => Assert.Contains("Webhook", UsesAtEveryDepth()[""]);

    [Fact]
    public void TheCallModelStandsOnItsOwn() => Assert.Empty(Uses()["Calls"]);
}
