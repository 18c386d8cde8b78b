using System.Text.Json;

namespace CallFunctions;

/// <summary>
/// The <c>Values</c> of <c>local.settings.json</c>, as <c>func start</c> and the host give them to the webhook, for the
/// tools run from a clone's build (<c>dotnet run --project CallFunctions -- …</c>): they then reach the same local
/// tables without a setting exported. The environment and the command line win; a published app has no such file.
/// </summary>
internal static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <exception cref="FormatException">The file is not the JSON that Core Tools read.</exception>
    public static void AddTo(ConfigurationManager configuration, string path)
    {
        if (!File.Exists(path)) return;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
                foreach (var value in section.EnumerateObject())
                    values[value.Name.Replace("__", ":", StringComparison.Ordinal)] = value.Value.ValueKind == JsonValueKind.String
                        ? value.Value.GetString()
                        : value.Value.GetRawText();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid JSON: {e.Message}", e);
        }
        // First among the sources, so that appsettings.json, the environment and the command line override it.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }
}
