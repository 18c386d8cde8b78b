using System.Text.RegularExpressions;

namespace CallFunctions.Tests;

/// <summary>Each tool's <c>--help</c> says what the table of tools (docs/operating.md) says about it, and nothing is left out.</summary>
public sealed partial class ToolHelpTests
{
    public static TheoryData<string, string> ReadmeRows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Repo.Path("docs", "operating.md")))
            if (Row().Match(line) is { Success: true } row) rows.Add(Plain(row.Groups["syntax"].Value), Plain(row.Groups["text"].Value));
        return rows;
    }

    [Theory]
    [MemberData(nameof(ReadmeRows))]
    public async Task EachToolsHelpSaysWhatTheReadmeSays(string syntax, string text)
    {
        var verb = string.Join(' ', syntax.Split(' ').Take(2));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Commands.RunAsync([.. verb.Split(' '), "--help"], output, error);

        Assert.Equal(0, code);
        var help = Spaces().Replace(output.ToString(), " ");
        Assert.Contains($"CallFunctions {syntax}", help, StringComparison.Ordinal);
        Assert.Contains(text, help, StringComparison.Ordinal);
        Assert.DoesNotContain($"CallFunctions {OtherVerb(verb)}", help, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReadmeListsEveryTool()
    {
        var documented = ReadmeRows().Select(r => string.Join(' ', ((string)r[0]).Split(' ').Take(2))).Order(StringComparer.Ordinal);

        Assert.Equal(Commands.Verbs.Select(v => v.Name).Order(StringComparer.Ordinal), documented);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task TheUsageListsEveryTool(string arg)
    {
        using var output = new StringWriter();

        var code = await Commands.RunAsync([arg], output, TextWriter.Null);

        Assert.Equal(0, code);
        foreach (var verb in Commands.Verbs) Assert.Contains($"CallFunctions {verb.Name}", output.ToString(), StringComparison.Ordinal);
    }

    private static string OtherVerb(string verb) => Commands.Verbs.First(v => v.Name != verb).Name + " ";

    /// <summary>The README's cell as plain text: no code marks, the table's escaped bar unescaped.</summary>
    private static string Plain(string cell) => Spaces().Replace(cell.Replace("`", "", StringComparison.Ordinal).Replace("\\|", "|", StringComparison.Ordinal), " ").Trim();

    [GeneratedRegex(@"^\| `(?<syntax>(rules|outcomes|challenges) [^`]+)` \| (?<text>.+) \|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
