using System.Globalization;

namespace CallFunctions.Platform;

/// <summary>
/// The Table service's property types by their OData names (<c>Edm.Int32</c>, <c>Edm.Int64</c>…), as Storage Explorer
/// writes them in its CSV exports: how a value is typed, written as text, and read back to the same type. The rules
/// files and the record spool share it.
/// </summary>
public static class EdmValue
{
    public const string String = "Edm.String";
    public const string Int32 = "Edm.Int32";
    public const string Int64 = "Edm.Int64";
    public const string Double = "Edm.Double";
    public const string Boolean = "Edm.Boolean";
    public const string DateTime = "Edm.DateTime";
    public const string Guid = "Edm.Guid";
    public const string Binary = "Edm.Binary";

    public static string TypeOf(object value) => value switch
    {
        string => String,
        int => Int32,
        long => Int64,
        double => Double,
        bool => Boolean,
        DateTimeOffset or System.DateTime => DateTime,
        System.Guid => Guid,
        byte[] or BinaryData => Binary,
        _ => throw new FormatException($"has a value of type {value.GetType().Name}, which the Table service does not store"),
    };

    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        System.DateTime d => Format(new DateTimeOffset(d.ToUniversalTime())),
        byte[] b => Convert.ToBase64String(b),
        BinaryData b => Convert.ToBase64String(b.ToArray()),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public static object Parse(string type, string text)
    {
        var ok = true;
        object value = type switch
        {
            String => text,
            Int32 => (ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) ? i : 0,
            Int64 => (ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) ? l : 0L,
            Double => (ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) ? d : 0d,
            Boolean => (ok = bool.TryParse(text, out var b)) && b,
            DateTime => (ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                ? t.ToUniversalTime() : default,
            Guid => (ok = System.Guid.TryParse(text, out var g)) ? g : default,
            Binary => Base64(text, ref ok),
            _ => throw new FormatException($"has the unknown type \"{type}\" (use {String}, {Int32}, {Int64}, {Double}, {Boolean}, {DateTime}, {Guid} or {Binary})"),
        };
        return ok ? value : throw new FormatException($"\"{text}\" is not a valid {type}");
    }

    /// <summary>A value with no stated type, as a person types it: a whole number, true/false, or text.</summary>
    public static object Infer(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i
        : bool.TryParse(text, out var b) ? b
        : text;

    private static byte[] Base64(string text, ref bool ok)
    {
        var buffer = new byte[text.Length];
        ok = Convert.TryFromBase64String(text, buffer, out var written);
        return buffer[..written];
    }
}
