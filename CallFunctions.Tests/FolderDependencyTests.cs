using System.Text.RegularExpressions;

namespace CallFunctions.Tests;

/// <summary>
/// The code flows one way, request -> parse -> screen (decide) -> act (Graph) -> record: each feature folder names
/// only the folders before it in <see cref="Flow"/>, so no two folders use each other, directly or around a circle.
/// The function files at the root (one per function) and <c>Program.cs</c> may use any folder.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>The folders in the order the code may flow: a folder uses only folders listed before it.</summary>
    private static readonly string[] Flow =
    [
        "Model",          // the call: CallEvent, Party, Identity, CallRoute, CallContext, the actions
        "Diagnostics",    // the app's clock
        "Credentials",    // the app's one Azure identity
        "Storage",        // Table Storage clients and the one storage-failure policy
        "Telemetry",      // metrics and the notification span
        "Auth",           // Graph's token
        "Notifications",  // parse: a request body into call events
        "Rules",          // decide: the rules table, the evaluator and its trace
        "Calls",          // act: reject and hang up through Graph
        "Outcomes",       // record: call records, claims, the index, retention, summaries
        "Screening",      // one call event through decide -> claim -> act -> record
        "Webhook",        // one batch: read, parse, screen each item, answer in time
        "Explain",        // why the rules decide what they do, without acting
        "Replay",         // what-if: recorded calls through other rules
        "DashboardPage",  // the operators' page
    ];

    [GeneratedRegex(@"\bCallFunctions\.([A-Z][A-Za-z]*)")]
    private static partial Regex NamespaceName();

    private static Dictionary<string, SortedSet<string>> Uses()
    {
        var app = Repo.Path("CallFunctions");
        var folders = Directory.GetDirectories(app).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj") && Directory.EnumerateFiles(Path.Combine(app, f), "*.cs", SearchOption.AllDirectories).Any())
            .ToHashSet(StringComparer.Ordinal);
        var uses = folders.ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var folder in folders)
        foreach (var file in Directory.EnumerateFiles(Path.Combine(app, folder), "*.cs", SearchOption.AllDirectories))
        foreach (Match match in NamespaceName().Matches(File.ReadAllText(file)))
        {
            var used = match.Groups[1].Value;
            if (used != folder && folders.Contains(used)) uses[folder].Add(used);
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
        var uses = Uses();
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
                    if (next == start) circles.Add(string.Join(" -> ", path.Reverse().Append(start)));
                    else if (!path.Contains(next)) Walk(next);
                }
                path.Pop();
            }
        }
        Assert.True(circles.Count == 0, "Circles: " + string.Join("; ", circles.Distinct()));
    }

    [Fact]
    public void TheCallModelStandsOnItsOwn() => Assert.Empty(Uses()["Model"]);
}
