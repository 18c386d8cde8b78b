using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>One edit of a body: what kind, where (wrapped to the body's length) and with what (wrapped to the choices).</summary>
public readonly record struct Step(int Kind, int Position, int Payload);

/// <summary>A sample notification and the edits made to it; printed by FsCheck to replay a failure.</summary>
public sealed record Mutation(int Sample, Step[] Steps)
{
    public override string ToString() =>
        $"{Mutations.SampleFiles[Sample]} with {string.Join(", ", Steps.Select(s => $"({s.Kind},{s.Position},{s.Payload})"))}";
}

/// <summary>
/// Random edits of the sample notifications of samples/: byte-level (flip, cut, insert a JSON token, duplicate) and
/// tree-level (replace a value with a hostile one, drop a property, repeat a name in another case). Many results are
/// still valid notifications; the point is that none makes the handler fail.
/// </summary>
public static class Mutations
{
    public static readonly string[] SampleFiles =
        [.. Directory.GetFiles(Repo.Path("samples"), "*.json").Select(Path.GetFileName).Where(f => f != "rules.example.json").Order()!];

    private static readonly byte[][] Samples = [.. SampleFiles.Select(f => File.ReadAllBytes(Repo.Path("samples", f!)))];

    private static readonly string[] Tokens =
        ["{", "}", "[", "]", "\"", "\\", ",", ":", "null", "\\u0000", "\\ud800", "1e999", "-", "0", "\u00e9", "\u202e", "\r\n", " ", "\"\":"];

    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-1", "1e400", "2147483648", "-2147483649", "3.5", "\"\"", "\"incoming\"", "\"terminated\"",
        "\"created\"", "\"deleted\"", "\"updated\"", "\"established\"", $"\"{new string('x', 2000)}\"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
        "[]", "{}", "[null]", "[1,2,3]", new string('[', 40) + new string(']', 40), string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40),
        "\"/communications/calls/a#b\"", "\"/communications/calls/x/participants\"", "\"+14255550123\"", "\"' or 1 eq 1\"",
        "[" + string.Join(",", Enumerable.Repeat("{}", 200)) + "]", "{\"id\":\"abc\"}", "\"\\u0000\"",
    ];

    public static Arbitrary<Mutation> Arbitrary { get; } = Arb.From(
        from sample in Gen.Choose(0, Samples.Length - 1)
        from steps in Gen.NonEmptyListOf(
            from kind in Gen.Choose(0, 9)
            from position in Gen.Choose(0, int.MaxValue)
            from payload in Gen.Choose(0, int.MaxValue)
            select new Step(kind, position, payload))
        select new Mutation(sample, [.. steps.Take(6)]));

    public static byte[] Apply(Mutation mutation)
    {
        var bytes = Samples[mutation.Sample];
        foreach (var step in mutation.Steps) bytes = Apply(bytes, step);
        return bytes;
    }

    private static byte[] Apply(byte[] bytes, Step step)
    {
        var list = new List<byte>(bytes);
        var at = list.Count == 0 ? 0 : step.Position % list.Count;
        switch (step.Kind)
        {
            case 0 when list.Count > 0:
                list[at] = (byte)step.Payload;
                break;
            case 1 when list.Count > 0:
                list.RemoveRange(at, Math.Min(step.Payload % 16 + 1, list.Count - at));
                break;
            case 2:
                list.InsertRange(step.Position % (list.Count + 1), Encoding.UTF8.GetBytes(Tokens[step.Payload % Tokens.Length]));
                break;
            case 3:
                list.RemoveRange(at, list.Count - at);
                break;
            case 4 when list.Count > 0:
                list.InsertRange(at, list.GetRange(at, Math.Min(step.Payload % 32 + 1, list.Count - at)));
                break;
            case 5 or 6 or 7 or 8:
                return EditTree(bytes, step) ?? bytes;
            case 9 when list.Count > 1:
                var other = step.Payload % list.Count;
                (list[at], list[other]) = (list[other], list[at]);
                break;
        }
        return [.. list];
    }

    /// <summary>Edits the JSON tree; null when the body is no longer JSON text a JsonNode can hold. Values are spliced
    /// in as raw text, so they can hold what a JsonNode cannot (half surrogate pairs, depth beyond its limit).</summary>
    private static byte[]? EditTree(byte[] bytes, Step step)
    {
        try
        {
            return JsonNode.Parse(bytes) is { } root ? EditTree(root, step) : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[] EditTree(JsonNode root, Step step)
    {
        var nodes = new List<JsonNode>();
        Walk(root, nodes);
        var target = nodes[step.Position % nodes.Count];
        const string marker = "\"__mutation__\"";
        switch (step.Kind)
        {
            case 5 when target.Parent is not null:
                target.ReplaceWith("__mutation__");
                return Encoding.UTF8.GetBytes(root.ToJsonString().Replace(marker, Values[step.Payload % Values.Length], StringComparison.Ordinal));
            case 6 when target.Parent is JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case 7 when target.Parent is JsonObject parent:
                var name = target.GetPropertyName();
                var twin = name.ToUpperInvariant() == name ? name.ToLowerInvariant() : name.ToUpperInvariant();
                if (!parent.ContainsKey(twin)) parent[twin] = target.DeepClone();
                break;
            case 8 when target is JsonArray array:
                for (var i = 0; i < step.Payload % 5; i++) array.Add(array.Count > 0 ? array[0]?.DeepClone() : null);
                break;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Walk(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj) if (child is not null) Walk(child, nodes);
                break;
            case JsonArray array:
                foreach (var child in array) if (child is not null) Walk(child, nodes);
                break;
        }
    }
}
