using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.Records;

/// <summary>
/// Records that Table Storage could not take, kept on local disk (one file each, written atomically) until
/// <see cref="SpoolDrainer"/> writes them. A record held here is safe: the webhook can answer 202 for it.
/// </summary>
public sealed class RecordSpool(IOptions<OutcomesOptions> options, TimeProvider clock)
{
    private readonly string _directory = options.Value.SpoolPath is { Length: > 0 } path
        ? path
        : Path.Combine(Path.GetTempPath(), "callfunctions-spool", options.Value.Table);

    public bool IsEmpty => !System.IO.Directory.Exists(_directory) || !System.IO.Directory.EnumerateFiles(_directory, "*.json").Any();

    public int Count => System.IO.Directory.Exists(_directory) ? System.IO.Directory.EnumerateFiles(_directory, "*.json").Count() : 0;

    public string Location => _directory;

    public async Task HoldAsync(TableEntity entity, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(_directory);
        // Named by the time it was held, so the drainer writes the oldest first.
        var name = $"{clock.GetUtcNow().UtcTicks:D20}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(_directory, name + ".tmp");
        // Written whole, then renamed: the drainer never reads half a record. A repeat holds a second file with the same
        // columns, and writing both merges the same record twice.
        await File.WriteAllTextAsync(temporary, Serialize(entity), ct);
        File.Move(temporary, Path.Combine(_directory, name + ".json"));
    }

    /// <summary>The held records, oldest first, each with the file to delete once it is written.</summary>
    public IEnumerable<(string File, TableEntity Entity)> Held()
    {
        if (!System.IO.Directory.Exists(_directory)) yield break;
        foreach (var file in System.IO.Directory.EnumerateFiles(_directory, "*.json").Order(StringComparer.Ordinal))
            yield return (file, Deserialize(File.ReadAllText(file)));
    }

    /// <summary>
    /// A record as one JSON object of its columns, each typed as the Table service types it (<see cref="EdmValue"/>):
    /// <c>{"Code":{"Int32":200},"TerminatedAt":{"DateTime":"2026-…Z"}}</c>. Numbers and booleans stay JSON's own.
    /// </summary>
    public static string Serialize(TableEntity entity)
    {
        var properties = new JsonObject();
        foreach (var (key, value) in entity)
        {
            if (key is "odata.etag" or "Timestamp" || value is null) continue;
            var type = EdmValue.TypeOf(value)[Edm.Length..];
            properties[key] = new JsonObject
            {
                [type] = value switch
                {
                    int i => i,
                    long l => l,
                    double d when double.IsFinite(d) => d,
                    bool b => b,
                    _ => EdmValue.Format(value),
                },
            };
        }
        return properties.ToJsonString();
    }

    public static TableEntity Deserialize(string json)
    {
        var entity = new TableEntity();
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var typed = property.Value.EnumerateObject().First();
            var text = typed.Value.ValueKind == JsonValueKind.String ? typed.Value.GetString()! : typed.Value.GetRawText();
            entity[property.Name] = EdmValue.Parse(Edm + typed.Name, text);
        }
        return entity;
    }

    private const string Edm = "Edm.";
}
