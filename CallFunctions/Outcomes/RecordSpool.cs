using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace CallFunctions.Outcomes;

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

    public static string Serialize(TableEntity entity)
    {
        var properties = new JsonObject();
        foreach (var (key, value) in entity)
        {
            if (key is "odata.etag" or "Timestamp" || value is null) continue;
            properties[key] = value switch
            {
                string s => new JsonObject { ["String"] = s },
                int i => new JsonObject { ["Int32"] = i },
                long l => new JsonObject { ["Int64"] = l },
                double d => new JsonObject { ["Double"] = d },
                bool b => new JsonObject { ["Boolean"] = b },
                DateTimeOffset t => new JsonObject { ["DateTime"] = t.ToString("O", CultureInfo.InvariantCulture) },
                DateTime t => new JsonObject { ["DateTime"] = new DateTimeOffset(t).ToString("O", CultureInfo.InvariantCulture) },
                _ => new JsonObject { ["String"] = Convert.ToString(value, CultureInfo.InvariantCulture) },
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
            entity[property.Name] = typed.Name switch
            {
                "Int32" => typed.Value.GetInt32(),
                "Int64" => typed.Value.GetInt64(),
                "Double" => typed.Value.GetDouble(),
                "Boolean" => typed.Value.GetBoolean(),
                "DateTime" => DateTimeOffset.Parse(typed.Value.GetString()!, CultureInfo.InvariantCulture),
                _ => typed.Value.GetString(),
            };
        }
        return entity;
    }
}
