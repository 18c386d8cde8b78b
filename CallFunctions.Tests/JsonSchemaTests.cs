using System.Diagnostics;

namespace CallFunctions.Tests;

public sealed class JsonSchemaTests
{
    [Fact]
    public async Task HostJsonAndLocalSettingsValidateAgainstTheFunctionsSchemas()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Repo.Path("scripts", "validate-json.mjs") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output + error);
        Assert.Contains("ok    host.json", output, StringComparison.Ordinal);
        Assert.Contains("ok    local.settings.json", output, StringComparison.Ordinal);
    }
}
