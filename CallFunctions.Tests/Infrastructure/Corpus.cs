using System.Text;
using System.Text.Json;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>The hostile bodies of Corpus/hostile.jsonl, written by scripts/make-corpus.mjs.</summary>
public static class Corpus
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Bodies = new(Load);

    public static IReadOnlyDictionary<string, byte[]> All => Bodies.Value;

    private static IReadOnlyDictionary<string, byte[]> Load()
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Repo.Path("CallFunctions.Tests", "Corpus", "hostile.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var entry = JsonDocument.Parse(line).RootElement;
            var name = entry.GetProperty("name").GetString()!;
            bodies.Add(name, Body(entry));
        }
        return bodies;
    }

    private static byte[] Body(JsonElement entry)
    {
        if (entry.TryGetProperty("body", out var body)) return Encoding.UTF8.GetBytes(body.GetString()!);
        if (entry.TryGetProperty("base64", out var base64)) return Convert.FromBase64String(base64.GetString()!);
        var text = new StringBuilder();
        foreach (var part in entry.GetProperty("parts").EnumerateArray())
            text.Insert(text.Length, part[0].GetString()!, part[1].GetInt32());
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
