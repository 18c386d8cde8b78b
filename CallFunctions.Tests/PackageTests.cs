using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Azure.Data.Tables;

namespace CallFunctions.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PackageTests
{
    [Fact]
    public async Task ThePackageHoldsWhatTheHostLoadsAndTheHostStartedOnItRejectsACall()
    {
        var work = Directory.CreateTempSubdirectory("callfunctions-package-").FullName;
        try
        {
            var zip = Path.Combine(work, "callfunctions.zip");
            // What goes in the zip is the same either way; ReadyToRun only adds minutes of compiling to the test run.
            await RunAsync(Repo.Path("package.sh"), zip);
            var root = Path.Combine(work, "app");
            ZipFile.ExtractToDirectory(zip, root);

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

            await TheHostOnTheUnpackedAppRejectsACall(root);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task TheHostOnTheUnpackedAppRejectsACall(string appRoot)
    {
        var storage = await Azurite.SharedAsync();
        await using var graph = await GraphStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var rules = new TableServiceClient(storage.ConnectionString).GetTableClient("Rules" + suffix);
        await rules.CreateIfNotExistsAsync();
        await rules.AddEntityAsync(Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Forbidden"));
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Graph__BaseUrl"] = graph.BaseUrl,
            // This test is about the package, not about who may call it: GraphTokenTests cover the token.
            ["Auth__Enabled"] = "false",
            ["Rules__Table"] = rules.Name,
            ["Outcomes__Table"] = "Outcomes" + suffix,
            ["Outcomes__SpoolPath"] = Path.Combine(appRoot, "spool"),
        }, appRoot);
        await host.WaitUntilReadyAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var callId = Notify.NewCallId();

        var response = await client.PostAsync("/api/calls",
            new StringContent(Notify.Incoming(callId, Notify.Phone("+14255550123")), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(graph.Requests);
        Assert.Equal($"/v1.0/communications/calls/{callId}/reject", request.Path);
        Assert.Contains("\"reason\":\"forbidden\"", request.Body, StringComparison.Ordinal);
        await rules.DeleteAsync();
    }

    private static async Task RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        start.Environment["READY_TO_RUN"] = "false";
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await output + await error);
    }
}
