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
    public async Task ThePackageHoldsTheAppAndItsHandlerStartsAsTheFunctionsHostStartsIt()
    {
        var work = Directory.CreateTempSubdirectory("callfunctions-package-").FullName;
        try
        {
            var zip = Path.Combine(work, "callfunctions.zip");
            await RunAsync(Repo.Path("package.sh"), zip);
            var root = Path.Combine(work, "app");
            ZipFile.ExtractToDirectory(zip, root);

            var names = ZipFile.OpenRead(zip).Entries.Select(e => e.FullName).ToList();
            Assert.Contains("host.json", names);
            Assert.Contains("CallNotifications/function.json", names);
            Assert.Contains("CallOutcomes/function.json", names);
            Assert.Contains("handler/CallFunctions", names);
            Assert.Contains("handler/appsettings.json", names);
            Assert.DoesNotContain(names, n => n.Contains("local.settings", StringComparison.Ordinal)
                                             || n.Contains("Tests", StringComparison.Ordinal)
                                             || n.StartsWith("node_modules", StringComparison.Ordinal)
                                             || n.StartsWith("samples", StringComparison.Ordinal)
                                             || n.EndsWith(".pdb", StringComparison.Ordinal));
            Assert.All(names.Where(n => !n.StartsWith("handler/", StringComparison.Ordinal)),
                n => Assert.True(n == "host.json" || n.EndsWith("/function.json", StringComparison.Ordinal), n));
            var executable = Path.Combine(root, "handler", "CallFunctions");
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the handler keeps its executable bit");
            // Self-contained: the runtime travels with the app, so the custom stack needs no .NET on the host.
            Assert.True(File.Exists(Path.Combine(root, "handler", "libcoreclr.so")));

            await SendsANotificationToThePackagedHandler(executable, root);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task SendsANotificationToThePackagedHandler(string executable, string appRoot)
    {
        var storage = await Azurite.SharedAsync();
        await using var graph = await GraphStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var rules = new TableServiceClient(storage.ConnectionString).GetTableClient("Rules" + suffix);
        await rules.CreateIfNotExistsAsync();
        await rules.AddEntityAsync(Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Forbidden"));
        await using var handler = await HandlerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Graph__BaseUrl"] = graph.BaseUrl,
            // This test is about the process, not about who may call it: GraphTokenTests cover the token.
            ["Auth__Enabled"] = "false",
            ["Rules__Table"] = rules.Name,
            ["Outcomes__Table"] = "Outcomes" + suffix,
            ["Outcomes__SpoolPath"] = Path.Combine(appRoot, "spool"),
        }, executable, appRoot);
        using var client = new HttpClient { BaseAddress = handler.BaseAddress };
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
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await output + await error);
    }
}
