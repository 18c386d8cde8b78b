using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CallFunctions.Notifications;

/// <summary>Case-insensitive, type-checked reads of a JSON element; a wrong type throws <see cref="BadField"/> naming the path.</summary>
internal static class Json
{
    /// <summary>No field Graph sends comes near this; a longer string is not a notification.</summary>
    public const int MaxString = 1024;

    /// <summary>
    /// Names match case-insensitively, so "value" and "Value" in one object are the same field twice: which one counts
    /// would be a guess, and two readers could guess differently. Such an object is refused.
    /// </summary>
    public static JsonElement? Property(this JsonElement obj, string name, string path)
    {
        JsonElement? found = null;
        var seen = false;
        foreach (var property in obj.EnumerateObject())
        {
            if (!property.NameEquals(name) && !string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (seen) throw new BadField($"{Prefix(path)}{name} appears more than once.");
            seen = true;
            found = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
        }
        return found;
    }

    public static string? String(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name, path) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new BadField($"{path}.{name} must be a string, not {Describe(value)}.");
        if (Text(value, $"{path}.{name}") is not { Length: <= MaxString } text)
            throw new BadField($"{path}.{name} is longer than {MaxString} characters.");
        return text;
    }

    public static JsonElement? Object(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name, path) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new BadField($"{path}.{name} must be an object, not {Describe(value)}.");
    }

    public static JsonElement? Array(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name, path) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Array
            ? value
            : throw new BadField($"{path}.{name} must be an array, not {Describe(value)}.");
    }

    /// <summary>Real traffic sends result codes as numbers, the documentation as strings: both are read.</summary>
    public static int? Integer(this JsonElement obj, string name, string path)
    {
        if (obj.Property(name, path) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = Text(value, $"{path}.{name}");
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out number)) return number;
        }
        throw new BadField($"{path}.{name} must be an integer or a string holding one, not {Describe(value)}.");
    }

    /// <summary>A string escaping half of a surrogate pair (\\ud800) is valid JSON but not text: it could not be stored.</summary>
    private static string? Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new BadField($"{path} is not valid Unicode text.");
        }
    }

    private static string Prefix(string path) => path.Length == 0 ? "" : path + ".";

    /// <summary>Quotes a value from the request for a message: shortened, with control characters escaped.</summary>
    public static string Quote(string text)
    {
        var cut = text.Length > 64 && char.IsHighSurrogate(text[63]) ? 63 : 64;
        var shown = text.Length <= 64 ? text : text[..cut] + "…";
        return JsonEncodedText.Encode(shown, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
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
