using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;

namespace CallFunctions.Tests;

/// <summary>
/// The commands the README and the pages of docs/ give a user, run as a user copies them, in a clean copy of the
/// repository: the tools' <c>dotnet run --project CallFunctions -- …</c> lines, <c>./run.sh</c> and <c>./package.sh</c>.
/// A command that stops working, or prints other headings than the page shows, fails here; so does a command that no
/// test runs, unless it needs Azure and stands on a page of <see cref="AzurePages"/>.
/// </summary>
/// <remarks>One class, so that the builds in the copy (Debug for dotnet run, Release for run.sh, the publish) run one at a time.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ReadmeCommandsTests(ReadmeCommandsTests.CleanCopy copy) : IClassFixture<ReadmeCommandsTests.CleanCopy>
{
    private const string ToolPrefix = "dotnet run --project CallFunctions --";
    private const string Us = "11111111-0000-4000-8000-000000000002";
    private const string EndOnly = "11111111-0000-4000-8000-000000000004";

    [Fact]
    public async Task EveryToolCommandOfTheReadmeRunsAsWrittenAndPrintsItsHeadings()
    {
        var storage = await Azurite.SharedAsync();
        var tables = new TableServiceClient(storage.ConnectionString);
        await RecordTheReadmesCallsAsync(tables);
        // The README's validate of a staging table with a bad row and two rules of the same priority.
        var staging = tables.GetTableClient("Staging");
        await staging.CreateIfNotExistsAsync();
        await staging.UpsertEntityAsync(Rows.Rule("office-hours", 5, "Allow", hours: "09:00-17:00", timeZone: "Europe/Paris"));
        await staging.UpsertEntityAsync(Rows.Rule("paris-hours", 6, "Reject", hours: "12:00-14:00", timeZone: "Europe/Pariss"));
        await staging.UpsertEntityAsync(Rows.Rule("a", 40, "Reject", caller: "+1900*"));
        await staging.UpsertEntityAsync(Rows.Rule("b", 40, "Reject", caller: "+1901*"));
        var commands = DocumentedCommands().Where(c => c.Line.StartsWith(ToolPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(commands.Count(c => c.Page == "README.md") >= 2, $"The README's tool commands: {commands.Count(c => c.Page == "README.md")}");
        Assert.True(commands.Count(c => c.Page == "docs/operating.md") >= 8, $"docs/operating.md's tool commands: {commands.Count(c => c.Page == "docs/operating.md")}");
        var transcript = new StringBuilder();
        DateTime? extensionsBuilt = null;
        string? page = null;

        foreach (var (where, _, line, shown, _) in commands)
        {
            // Each page starts from an empty rules table, as its first command expects; the recorded calls stay.
            if (where != page) await ClearAsync(tables.GetTableClient(RulesTable));
            page = where;
            var result = await copy.RunAsync(line, Settings(storage));
            transcript.Append(Transcript($"{where}: {line}", result));
            // Once built, a tool's `dotnet run` does not build the Worker SDK's generated extensions project again
            // (CallFunctions/Directory.Build.targets): about 3.5 s of CPU of every command.
            var built = File.GetLastWriteTimeUtc(copy.WorkerExtensionsOutput);
            Assert.True(extensionsBuilt is null || built == extensionsBuilt, $"`{line}` built the WorkerExtensions project again ({extensionsBuilt:O} → {built:O})");
            extensionsBuilt = built;
            // The README shows the exit code by its output: `rules validate` with a bad row exits 1.
            var expected = shown.Any(s => Shape(s).StartsWith("error ", StringComparison.Ordinal)) ? 1 : 0;
            Assert.True(result.Code == expected, $"exit {result.Code}, {where}: {expected}\n{transcript}");
            var printed = result.Output.Split('\n').Select(Shape).ToHashSet(StringComparer.Ordinal);
            foreach (var heading in shown.Where(IsHeading))
                Assert.True(printed.Contains(Shape(heading)), $"{where} shows \"{heading}\" under `{line}`, which did not print it.\n{transcript}");
        }
        await File.WriteAllTextAsync(Results("readme-commands.txt"), transcript.ToString());
    }

    [Fact]
    public async Task TheToolsRunInReleaseWithoutABuildAndReadRelativePathsFromWhereTheyAreCalled()
    {
        var storage = await Azurite.SharedAsync();
        await new TableServiceClient(storage.ConnectionString).GetTableClient(RulesTable).CreateIfNotExistsAsync();

        var debug = await copy.RunAsync("cd samples && dotnet run --project ../CallFunctions -- rules explain incoming-pstn.json --at 2026-03-29T08:30:00+02:00", Settings(storage));
        var noBuild = await copy.RunAsync("dotnet run --project CallFunctions --no-build -- rules explain samples/incoming-pstn.json", Settings(storage));
        var release = await copy.RunAsync("dotnet run --project CallFunctions -c Release -- outcomes list", Settings(storage));
        var releaseNoBuild = await copy.RunAsync("dotnet run --project CallFunctions -c Release --no-build -- rules validate --help", Settings(storage));
        var wrong = await copy.RunAsync("dotnet run --project CallFunctions --no-build -- rules valid", Settings(storage));

        Assert.True(debug.Code == 0, debug.ToString());
        Assert.Contains("Notification 0: call 491f0b00-ffff-4bc9-a43e-b226498ec22a (incoming)", debug.Output, StringComparison.Ordinal);
        Assert.True(noBuild.Code == 0, noBuild.ToString());
        Assert.Contains("caller  phone:+14255550123", noBuild.Output, StringComparison.Ordinal);
        Assert.True(release.Code == 0, release.ToString());
        Assert.Contains("call record(s).", release.Output, StringComparison.Ordinal);
        Assert.True(releaseNoBuild.Code == 0, releaseNoBuild.ToString());
        Assert.Contains("CallFunctions rules validate", releaseNoBuild.Output, StringComparison.Ordinal);
        Assert.True(wrong.Code == 64, wrong.ToString());
        Assert.Contains("Error: unknown command: rules valid", wrong.Error, StringComparison.Ordinal);
        Assert.Contains("CallFunctions rules validate", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunShowsTheDemonstrationAndPrintsADashboardUrlThatOpensThePage()
    {
        var shown = ReadmeBlockAfter("./run.sh ").Where(l => l.Trim() is { Length: > 0 } t && t != "...").ToList();
        Assert.NotEmpty(shown);
        using var run = copy.Start("./run.sh");
        var output = new StringBuilder();
        string? dashboard = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (dashboard is null && await run.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            output.AppendLine(line);
            if (DashboardLine().Match(line) is { Success: true } found) dashboard = found.Groups["url"].Value;
        }
        try
        {
            Assert.True(dashboard is not null, $"./run.sh printed no dashboard URL:\n{output}");
            foreach (var line in shown)
            {
                // "call 491f0b00-… rejected": the README abbreviates the ids.
                var parts = line.Trim().Split('…');
                Assert.True(output.ToString().Split('\n').Any(o => o.Trim().StartsWith(parts[0], StringComparison.Ordinal) && o.TrimEnd().EndsWith(parts[^1], StringComparison.Ordinal)),
                    $"The README shows \"{line}\" after ./run.sh, which printed:\n{output}");
            }

            using var browser = new HttpClient();
            var page = await browser.GetAsync(new Uri(dashboard));
            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{dashboard}: {(int)page.StatusCode}\n{html}");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>CallFunctions: calls and rules</title>", html, StringComparison.Ordinal);
            var data = await browser.GetAsync(new Uri(dashboard + "&view=data"));
            Assert.Equal(HttpStatusCode.OK, data.StatusCode);
            Assert.Contains("491f0b00-ffff-4bc9-a43e-b226498ec22a", await data.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            // Ctrl+C's way out: the script's trap stops the host and Azurite.
            using (var kill = Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await run.WaitForExitAsync(stop.Token);
        }
    }

    [Fact]
    public async Task PackageWritesTheZipTheHostLoadsAndItsExecutableRunsTheTools()
    {
        Assert.Contains("./package.sh", DocumentedCommands().Select(c => c.Line));
        // What goes in the zip is the same either way; ReadyToRun only adds minutes of compiling to the test run.
        var packaged = await copy.RunAsync("./package.sh", new Dictionary<string, string> { ["READY_TO_RUN"] = "false" });
        Assert.True(packaged.Code == 0, packaged.ToString());
        var zip = Path.Combine(copy.Root, "artifacts", "callfunctions.zip");
        var root = Path.Combine(copy.Root, "artifacts", "app");
        ZipFile.ExtractToDirectory(zip, root, overwriteFiles: true);

        var names = ZipFile.OpenRead(zip).Entries.Select(e => e.FullName).ToList();
        Assert.Contains("host.json", names);
        Assert.Contains("functions.metadata", names);
        Assert.Contains("worker.config.json", names);
        Assert.Contains("CallFunctions.dll", names);
        Assert.Contains("appsettings.json", names);
        Assert.DoesNotContain(names, n => n.Contains("local.settings", StringComparison.Ordinal)
                                         || n.Contains("Tests", StringComparison.Ordinal)
                                         || n.EndsWith("function.json", StringComparison.Ordinal)
                                         || n.StartsWith("node_modules", StringComparison.Ordinal)
                                         || n.StartsWith("samples", StringComparison.Ordinal)
                                         || n.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllTextAsync(Repo.Path("host.json")), await File.ReadAllTextAsync(Path.Combine(root, "host.json")));
        // Framework-dependent: the dotnet-isolated stack brings the runtime.
        Assert.False(File.Exists(Path.Combine(root, "libcoreclr.so")));
        // Of Microsoft.Graph (48 MB of IL, 97 MB ReadyToRun), only what the app's code reaches: a few hundred KB.
        var graph = new FileInfo(Path.Combine(root, "Microsoft.Graph.dll")).Length;
        Assert.True(graph < 2_000_000, $"Microsoft.Graph.dll in the package: {graph:N0} bytes");

        var storage = await Azurite.SharedAsync();
        var validate = await copy.RunAsync("cd artifacts/app && ./CallFunctions rules validate", Settings(storage));
        var help = await copy.RunAsync("cd artifacts/app && ./CallFunctions outcomes summary --help", Settings(storage));
        var wrong = await copy.RunAsync("cd artifacts/app && ./CallFunctions outcomes list --prune", Settings(storage));
        Assert.True(validate.Code is 0 or 1, validate.ToString());
        Assert.Contains("Table CallRules:", validate.Output, StringComparison.Ordinal);
        Assert.True(help.Code == 0, help.ToString());
        Assert.Contains("Terminations counted by code/subcode/meaning and by rule and action.", help.Output, StringComparison.Ordinal);
        Assert.True(wrong.Code == 64, wrong.ToString());
        Assert.Contains("Error: outcomes list has no option --prune", wrong.Error, StringComparison.Ordinal);

        await TheHostOnTheUnpackedAppSendsEachGraphRequest(root, storage);
    }

    /// <summary>
    /// The published app sends each of its Graph requests, bodies as Graph documents them: the publish keeps of
    /// Microsoft.Graph.dll only what the app's code reaches (CallFunctions.csproj, TrimMicrosoftGraph), and the other
    /// tests run the app as built, with all of it.
    /// </summary>
    private static async Task TheHostOnTheUnpackedAppSendsEachGraphRequest(string appRoot, Azurite storage)
    {
        await using var graph = await GraphStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var rules = new TableServiceClient(storage.ConnectionString).GetTableClient("Rules" + suffix);
        await rules.CreateIfNotExistsAsync();
        const string adele = "8b081ef6-4792-4def-b2c9-c363a1bf41d5";
        await rules.AddEntityAsync(Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Forbidden"));
        await rules.AddEntityAsync(Rows.Rule("forward", 2, "Redirect", caller: "+1800*").With("Target", $"user:{adele}, phone:+14255550100").With("Timeout", 45));
        await rules.AddEntityAsync(Rows.Rule("drop", 3, "HangUp", caller: "+1900*"));
        await rules.AddEntityAsync(Rows.Rule("screen", 4, "Challenge", caller: "+1206*").With("Target", "+14255550100"));
        const string callback = "https://bot.contoso.com/api/calls/outcomes";
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Graph__BaseUrl"] = graph.BaseUrl,
            ["Calls__CallbackUri"] = callback,
            ["Calls__ChallengeQueue"] = "package-" + suffix,
            // This test is about the package, not about who may call it: GraphTokenTests cover the token.
            ["Auth__Enabled"] = "false",
            ["Rules__Table"] = rules.Name,
            ["Outcomes__Table"] = "Outcomes" + suffix,
            ["Outcomes__SpoolPath"] = Path.Combine(appRoot, "spool"),
        }, appRoot);
        await host.WaitUntilReadyAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        async Task<GraphRequest> Sent(string callId, string body)
        {
            var response = await client.PostAsync("/api/calls", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return Assert.Single(graph.Requests, r => r.Path.Contains(callId, StringComparison.Ordinal));
        }
        var (rejected, redirected, dropped) = (Notify.NewCallId(), Notify.NewCallId(), Notify.NewCallId());

        var reject = await Sent(rejected, Notify.Incoming(rejected, Notify.Phone("+14255550123")));
        var redirect = await Sent(redirected, Notify.Incoming(redirected, Notify.Phone("+18005550100")));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/calls",
            new StringContent(Notify.Incoming(dropped, Notify.Phone("+19005550100")), Encoding.UTF8, "application/json"))).StatusCode);
        var hangUp = await Sent(dropped, Notify.Batch(Notify.UpdatedItem(dropped, "established")));
        // A challenge: the answer, the tones and the prompt, then the key's cancel and transfer; and the prompt served.
        var challenged = Notify.NewCallId();
        foreach (var body in new[]
                 {
                     Notify.Incoming(challenged, Notify.Phone("+12065550100")),
                     Notify.Batch(Notify.UpdatedItem(challenged, "established")),
                     Notify.Batch(Notify.ToneItem(challenged, "tone1", 1)),
                 })
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/calls", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        var prompt = await client.GetAsync("/api/prompts/press-1");

        Assert.Equal(
            ["answer", "subscribeToTone", "playPrompt", "cancelMediaProcessing", "transfer"],
            graph.Requests.Where(r => r.Path.Contains(challenged, StringComparison.Ordinal)).Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..]));
        Assert.All(graph.Requests.Where(r => r.Path.Contains(challenged, StringComparison.Ordinal)), r => Assert.True(r.Status is 200 or 202, $"{r.Path}: {r.Status}"));
        Assert.Equal((HttpStatusCode.OK, "audio/wav"), (prompt.StatusCode, prompt.Content.Headers.ContentType?.MediaType));
        Assert.Equal(("POST", $"/v1.0/communications/calls/{rejected}/reject", $$$"""{"callbackUri":"{{{callback}}}","reason":"forbidden"}"""), (reject.Method, reject.Path, reject.Body));
        Assert.Equal(("POST", $"/v1.0/communications/calls/{redirected}/redirect"), (redirect.Method, redirect.Path));
        Assert.Equal($$$"""{"callbackUri":"{{{callback}}}","targets":[{"identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"id":"{{{adele}}}","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.invitationParticipantInfo"},{"identity":{"@odata.type":"#microsoft.graph.identitySet","phone":{"id":"\u002B14255550100","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.invitationParticipantInfo"}],"timeout":45}""", redirect.Body);
        Assert.Equal(("DELETE", $"/v1.0/communications/calls/{dropped}", ""), (hangUp.Method, hangUp.Path, hangUp.Body));
        await rules.DeleteAsync();
    }

    /// <summary>The pages where commands that need Azure (az, azd, PowerShell) stand, each section naming the Microsoft page it follows.</summary>
    private static readonly string[] AzurePages = ["docs/setting-up-the-bot.md", "docs/deployment.md"];

    [Fact]
    public void EveryCommandOfTheReadmeAndTheDocsIsRunByATestOrNeedsAzureOnAnAzurePage()
    {
        var commands = DocumentedCommands();
        var azure = commands.Where(NeedsAzure).ToList();
        var local = commands.Where(c => !NeedsAzure(c)).ToList();

        var unrun = local.Where(c => RunBy(c.Line) is null).Select(c => $"{c.Page}: {c.Line}").ToList();
        Assert.True(unrun.Count == 0, "Commands of the README and docs/ that no test runs:\n" + string.Join('\n', unrun));
        // Only a command that calls az or azd, or PowerShell's, is excused, and only where an admin reads it beside the
        // Microsoft page it follows.
        var misplaced = azure.Where(c => !AzurePages.Contains(c.Page)).Select(c => $"{c.Page}: {c.Line}").ToList();
        Assert.True(misplaced.Count == 0, $"Commands that need Azure outside {string.Join(", ", AzurePages)}:\n" + string.Join('\n', misplaced));
        var unsourced = azure.Where(c => !c.Section.Contains("https://learn.microsoft.com/", StringComparison.Ordinal))
            .Select(c => $"{c.Page}: {c.Line}").Distinct().ToList();
        Assert.True(unsourced.Count == 0, "Commands that need Azure in a section that names no Microsoft Learn page:\n" + string.Join('\n', unsourced));
        foreach (var page in AzurePages) Assert.Contains(azure, c => c.Page == page);
        Assert.True(local.Count >= 20, $"Commands run by tests: {local.Count} of {commands.Count}");
        foreach (var script in new[] { "./run.sh", "./test.sh", "./package.sh", "scripts/smoke-check.sh" })
            Assert.Contains(local, c => c.Line.StartsWith(script, StringComparison.Ordinal));
    }

    /// <summary>A command that needs an Azure subscription or a Microsoft 365 tenant: it calls az or azd, or is PowerShell's.</summary>
    private static bool NeedsAzure(Command command) => command.Fence == "powershell" || AzureTool().IsMatch(command.Line);

    /// <summary>The test (or CI step) that runs a local command as written, or null when none does.</summary>
    private static string? RunBy(string line)
    {
        if (line.StartsWith(ToolPrefix, StringComparison.Ordinal)) return nameof(EveryToolCommandOfTheReadmeRunsAsWrittenAndPrintsItsHeadings);
        if (line is "./run.sh" or "./run.sh --once") return nameof(RunShowsTheDemonstrationAndPrintsADashboardUrlThatOpensThePage) + ", .ci/run";
        if (line == "./package.sh") return nameof(PackageWritesTheZipTheHostLoadsAndItsExecutableRunsTheTools);
        if (line == "./test.sh") return ".ci/run";
        if (line.StartsWith("scripts/smoke-check.sh ", StringComparison.Ordinal)) return nameof(SmokeCheckTests);
        // The long runs: their harness runs in ./test.sh at a smaller size (LoadTests), or apart (benchmarks); the
        // part named must be one the harness knows.
        if (line == "./load-test.sh") return nameof(LoadTests);
        if (BenchmarkLine().Match(line) is { Success: true } bench)
            return !bench.Groups["mode"].Success || BenchmarkModes().Contains(bench.Groups["mode"].Value) ? "./benchmark.sh" : null;
        if (line == "dotnet run -c Release --project CallFunctions.Benchmarks -- --filter '*'") return "BenchmarkDotNet";
        return null;
    }

    /// <summary>The parts ./benchmark.sh takes: the harness's Modes.</summary>
    private static HashSet<string> BenchmarkModes()
    {
        var source = File.ReadAllText(Repo.Path("CallFunctions.Benchmarks", "Harness", "Harness.cs"));
        var modes = Regex.Match(source, @"Modes = \[(?<list>[^\]]+)\]").Groups["list"].Value;
        return [.. Regex.Matches(modes, "\"(?<m>[a-z]+)\"").Select(m => m.Groups["m"].Value)];
    }

    private const string RulesTable = "CallRules";
    private const string OutcomesTable = "CallOutcomes";

    /// <summary>The tables of local.settings.json, in the test run's Azurite: the README's output names them.</summary>
    private static Dictionary<string, string> Settings(Azurite storage) => new()
    {
        ["AzureWebJobsStorage"] = storage.ConnectionString,
        ["Rules__Table"] = RulesTable,
        ["Outcomes__Table"] = OutcomesTable,
    };

    /// <summary>
    /// The calls the README's what-if and summary show, recorded by the app in the host before the rules are seeded:
    /// a US caller allowed by the default on 2026-03-10 at 10:30, ending without a reason, and a call seen only ending.
    /// </summary>
    private static async Task RecordTheReadmesCallsAsync(TableServiceClient tables)
    {
        await tables.GetTableClient(RulesTable).DeleteAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rules:Table"] = RulesTable,
            ["Outcomes:Table"] = OutcomesTable,
        }, now: DateTimeOffset.Parse("2026-03-10T10:30:00Z", System.Globalization.CultureInfo.InvariantCulture), ownHost: true);
        var outcomes = tables.GetTableClient(OutcomesTable);
        Assert.Equal(HttpStatusCode.Accepted, (await app.NotifyAsync(Notify.Sample("incoming-pstn.json", Us))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(Us)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(EndOnly, 200, 5001)))).StatusCode);
        foreach (var call in new[] { Us, EndOnly })
        {
            for (var i = 0; i < 100 && (await outcomes.GetEntityIfExistsAsync<TableEntity>(call, "call")).Value?.ContainsKey("TerminatedAt") != true; i++)
                await Task.Delay(100);
        }
    }

    /// <summary>A line a user sees whatever the rows are: not a row of a list, whose values are the README's example.</summary>
    private static bool IsHeading(string line)
    {
        var shape = Shape(line);
        return shape.Length > 0 && !shape.Contains('…', StringComparison.Ordinal)
            && !RowStart().IsMatch(shape);
    }

    /// <summary>A line with its spaces collapsed and its numbers as N: the shape a heading keeps whatever the data.</summary>
    private static string Shape(string line) => Numbers().Replace(Spaces().Replace(line.Trim(), " "), "N");

    private static string Transcript(string line, Cli.Result result) => $"$ {line}\n{result}\n";

    private static string Results(string file) =>
        Path.Combine(Environment.GetEnvironmentVariable("CALLFUNCTIONS_TEST_RESULTS") ?? Path.GetTempPath(), file);

    /// <summary>The pages whose commands users copy: the README, then docs/ by name.</summary>
    private static IEnumerable<string> Pages() =>
        ["README.md", .. Directory.GetFiles(Repo.Path("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>A command of a page's bash or powershell block, the output shown under it (# lines) and its section's text.</summary>
    private sealed record Command(string Page, string Fence, string Line, List<string> Shown, string Section);

    /// <summary>Each command a user copies from the README and docs/, in page order.</summary>
    private static List<Command> DocumentedCommands()
    {
        var commands = new List<Command>();
        foreach (var page in Pages())
        {
            var lines = File.ReadAllLines(Repo.Path(page));
            string? fence = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var text = lines[i];
                if (text.StartsWith("```", StringComparison.Ordinal))
                {
                    fence = fence is null ? text[3..] : null;
                    continue;
                }
                if (fence is not ("bash" or "powershell")) continue;
                if (text.StartsWith('#') && commands.Count > 0 && commands[^1].Page == page) commands[^1].Shown.Add(text.TrimStart('#'));
                else if (text.Length > 0 && !text.StartsWith('#'))
                    commands.Add(new(page, fence, Comment().Replace(text, "").TrimEnd(), [], Section(lines, i)));
            }
        }
        return commands;
    }

    /// <summary>The text of the section (from its # or ## heading to the next) that holds line <paramref name="at"/>.</summary>
    private static string Section(string[] lines, int at)
    {
        static bool Heading(string line) => line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal);
        var start = Array.FindLastIndex(lines, at, Heading);
        var end = Array.FindIndex(lines, at, Heading);
        return string.Join('\n', lines[Math.Max(start, 0)..(end < 0 ? lines.Length : end)]);
    }

    private static async Task ClearAsync(TableClient table)
    {
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>The README's plain block that follows the bash block holding <paramref name="command"/>.</summary>
    private static List<string> ReadmeBlockAfter(string command)
    {
        var lines = File.ReadAllLines(Repo.Path("README.md"));
        var at = Array.FindIndex(lines, l => l.StartsWith(command, StringComparison.Ordinal));
        var open = Array.FindIndex(lines, at + 1, l => l == "```");
        open = Array.FindIndex(lines, open + 1, l => l == "```");
        var close = Array.FindIndex(lines, open + 1, l => l == "```");
        return [.. lines[(open + 1)..close]];
    }

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"(^|[\s(=;&|])(az|azd)\s")]
    private static partial Regex AzureTool();

    [GeneratedRegex(@"^\./benchmark\.sh( (?<mode>[a-z]+))?$")]
    private static partial Regex BenchmarkLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Numbers();

    /// <summary>A row of a list: a status word first, a count, or a call id.</summary>
    [GeneratedRegex(@"^(ok|error|warning|added|updated|removed|unchanged|N|N-N-N-N-N|[0-9a-fN]+-[0-9a-fN-]+|default) ")]
    private static partial Regex RowStart();

    [GeneratedRegex(@"The dashboard: (?<url>http://127\.0\.0\.1:[0-9]+/api/dashboard\?code=[A-Za-z0-9_-]+)")]
    private static partial Regex DashboardLine();

    /// <summary>
    /// The repository's files as a clone has them (tracked, and new ones not ignored), without builds, in a folder of
    /// its own; node_modules links to the repository's (npm's install is not what these tests are about).
    /// </summary>
    public sealed class CleanCopy : IDisposable
    {
        public CleanCopy()
        {
            Root = Directory.CreateTempSubdirectory("callfunctions-clone-").FullName;
            var list = new ProcessStartInfo("git", ["-C", Repo.Root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]) { RedirectStandardOutput = true };
            using var git = Process.Start(list)!;
            var files = git.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
            git.WaitForExit();
            foreach (var file in files)
            {
                var source = Repo.Path(file);
                if (!File.Exists(source)) continue;
                var target = Path.Combine(Root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
                // Scripts stay executable.
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
            Directory.CreateSymbolicLink(Path.Combine(Root, "node_modules"), Repo.Path("node_modules"));
        }

        public string Root { get; }

        /// <summary>The generated extensions project's output in the copy's Debug build, rewritten by each build of that project.</summary>
        public string WorkerExtensionsOutput =>
            Path.Combine(Root, "CallFunctions/obj/Debug/net10.0/WorkerExtensions/bin/Release/net8.0/bin/extensions.json");

        /// <summary>Runs a line as bash would in the copy's root, with these settings in the environment.</summary>
        public async Task<Cli.Result> RunAsync(string line, IDictionary<string, string> environment)
        {
            using var process = Start(line, environment);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{line}` ran for 5 minutes:\n{await output}\n{await error}");
            }
            return new Cli.Result(process.ExitCode, await output, await error);
        }

        public Process Start(string line, IDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo("bash", ["-c", line])
            {
                WorkingDirectory = Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // The host on this machine believes it runs in Azure when it sees CONTAINER_NAME.
            start.Environment.Remove("CONTAINER_NAME");
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            // The copy is not beside ../shared: the scripts are told where the tests' host is.
            if (FunctionsHost.HostFolder() is { } host) start.Environment["FUNCTIONS_HOST_PATH"] = host;
            foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
            return Process.Start(start)!;
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
