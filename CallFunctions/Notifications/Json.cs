using System.Globalization;
using System.Text.Json;

namespace CallFunctions.Notifications;

/// <summary>Case-insensitive, type-checked reads of a JSON element; a wrong type throws <see cref="BadField"/> naming the path.</summary>
internal static class Json
{
    public static JsonElement? Property(this JsonElement obj, string name)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
        }
        return null;
    }

    public static string? String(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new BadField($"{path}.{name} must be a string, not {Describe(value)}.");
    }

    public static JsonElement? Object(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new BadField($"{path}.{name} must be an object, not {Describe(value)}.");
    }

    public static JsonElement? Array(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Array
            ? value
            : throw new BadField($"{path}.{name} must be an array, not {Describe(value)}.");
    }

    /// <summary>Real traffic sends result codes as numbers, the documentation as strings: both are read.</summary>
    public static int? Integer(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out number)) return number;
        }
        throw new BadField($"{path}.{name} must be an integer or a string holding one, not {Describe(value)}.");
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 24 ? text : text[..24] + "…";
}

internal sealed class BadField(string message) : Exception(message);
