using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using CallFunctions.Platform;
using CallFunctions.RuleTable;

namespace CallFunctions.RuleTable.Files;

/// <summary>
/// Rules as a JSON array of rows. Strings, whole numbers and booleans are written plainly (Int32, Boolean, String, as in
/// <c>samples/rules.example.json</c>); any other type carries an OData annotation, <c>"Column@odata.type": "Edm.Int64"</c>,
/// as the Table service's own JSON does, so that a file read back gives the same types.
/// </summary>
internal static class RulesJson
{
    private const string Annotation = "@odata.type";

    // The file is read by people in diffs: "+1 425" stays "+1 425", not "\u002B1 425". It is never embedded in HTML.
    private static readonly JavaScriptEncoder ReadableEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static string Write(IEnumerable<TableEntity> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = ReadableEncoder }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                foreach (var column in RulesFile.ColumnOrder([row])) WriteProperty(json, column, row[column]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteProperty(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case string s: json.WriteString(name, s); return;
            case int i: json.WriteNumber(name, i); return;
            case bool b: json.WriteBoolean(name, b); return;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            default: json.WriteString(name, EdmValue.Format(value)); break;
        }
        json.WriteString(name + Annotation, EdmValue.TypeOf(value));
    }

    public static List<TableEntity> Read(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("the file must hold a JSON array of rows");
        var rows = new List<TableEntity>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var where = $"row {rows.Count + 1}";
            if (item.ValueKind != JsonValueKind.Object) throw new FormatException($"{where} is not a JSON object");
            var types = item.EnumerateObject()
                .Where(p => p.Name.EndsWith(Annotation, StringComparison.Ordinal))
                .ToDictionary(p => p.Name[..^Annotation.Length], p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            var row = new TableEntity();
            foreach (var property in item.EnumerateObject().Where(p => !p.Name.EndsWith(Annotation, StringComparison.Ordinal)))
            {
                try
                {
                    if (Value(property.Value, types.GetValueOrDefault(property.Name)) is { } value) row[property.Name] = value;
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{where}, column {property.Name}: {e.Message}");
                }
            }
            RulesFile.CheckKeys(row, where);
            rows.Add(row);
        }
        return rows;
    }

    private static object? Value(JsonElement value, string? type) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object or JsonValueKind.Array => throw new FormatException("must be a string, a number or a boolean"),
        _ when type is not null => EdmValue.Parse(type, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()),
        JsonValueKind.Number when value.TryGetInt32(out var i) => i,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        _ => value.GetString(),
    };
}
