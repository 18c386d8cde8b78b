namespace CallFunctions.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Calls__CallbackUri", "http://bot.contoso.com/api/calls/outcomes", "Calls__CallbackUri must be an absolute https URL")]
    [InlineData("Rules__RefreshSeconds", "-1", "Rules__RefreshSeconds must be between 0 and 86400.")]
    [InlineData("Rules__DefaultAction", "Explode", "Set it as Rules__DefaultAction.")]
    [InlineData("Rules__Table", "bad-name!", "Rules__Table must be a table name")]
    [InlineData("Outcomes__Table", "x", "Outcomes__Table must be a table name")]
    [InlineData("Outcomes__RetentionDays", "-1", "Outcomes__RetentionDays must be a whole number of days from 0 (keep forever) to 36500.")]
    [InlineData("Outcomes__RetentionDays", "ninety", "Set it as Outcomes__RetentionDays.")]
    [InlineData("Graph__BaseUrl", "ftp://graph.example", "Graph__BaseUrl must be an absolute http(s) URL.")]
    [InlineData("Graph__ClientSecret", "s3cr3t-value", "Graph__ClientSecret is set, so Graph__TenantId and Graph__ClientId are required too.")]
    [InlineData("AzureWebJobsStorage", "", "AzureWebJobsStorage is required")]
    [InlineData("AzureWebJobsStorage", "AccountKey=s3cr3t-value;Nonsense", "AzureWebJobsStorage is not a valid storage connection string.")]
    [InlineData("FUNCTIONS_CUSTOMHANDLER_PORT", "seventy", "FUNCTIONS_CUSTOMHANDLER_PORT must be a port number from 1 to 65535")]
    [InlineData("Graph__ClientId", "", "Auth__Audience (or Graph__ClientId) is required")]
    [InlineData("Auth__OpenIdConfiguration", "http://login.example.com/.well-known/OpenIdConfiguration", "Auth__OpenIdConfiguration must be an absolute https URL")]
    [InlineData("Auth__OpenIdConfiguration", "keys.json", "Auth__OpenIdConfiguration must be an absolute https URL")]
    [InlineData("Auth__Issuers", " , ", "Auth__Issuers must list at least one issuer.")]
    public async Task AWrongSettingStopsTheAppWithAMessageNamingIt(string name, string value, string message)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Graph__ClientId"] = OpenIdStandIn.AppId,
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [name] = value,
        };

        var exit = await HandlerProcess.RunUntilExitAsync(environment, TimeSpan.FromSeconds(30));

        Assert.NotNull(exit);
        Assert.NotEqual(0, exit.Code);
        Assert.Contains(message, exit.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", exit.Error + exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", exit.Error, StringComparison.Ordinal);
    }
}
