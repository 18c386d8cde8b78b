using System.Text;
using System.Text.RegularExpressions;

namespace CallFunctions.Tests;

/// <summary>
/// Every relative link of the README and of docs/ reaches a file, and a heading of it when it names one (GitHub's
/// anchors); a page of docs/ is named by a link, not a code span; the scripts' messages name headings that exist.
/// </summary>
public sealed partial class DocsLinksTests
{
    [Fact]
    public void EveryRelativeLinkOfTheReadmeAndTheDocsReachesAFileAndHeadingThatExist()
    {
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var page in Pages())
        {
            foreach (var target in Links(Prose(File.ReadAllText(Repo.Path(page)))))
            {
                if (External().IsMatch(target)) continue;
                checkedLinks++;
                if (Resolve(page, target) is { } error) broken.Add($"{page}: ({target}) {error}");
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
        Assert.True(checkedLinks >= 60, $"Relative links checked: {checkedLinks}");
    }

    [Fact]
    public void EveryPageOfTheDocsIsReachedByALinkFromTheReadmeOrAnotherPage()
    {
        var reached = Pages()
            .SelectMany(page => Links(Prose(File.ReadAllText(Repo.Path(page))))
                .Where(t => !External().IsMatch(t) && !t.StartsWith('#'))
                .Select(t => Normalize(Path.Combine(Path.GetDirectoryName(page)!, t.Split('#')[0]))))
            .ToHashSet(StringComparer.Ordinal);

        var unreached = Pages().Where(p => p != "README.md" && !reached.Contains(p)).ToList();

        Assert.True(unreached.Count == 0, "Pages no link reaches: " + string.Join(", ", unreached));
    }

    [Fact]
    public void TheDocsAreNamedByLinksNotByCodeSpans()
    {
        var mentions = new List<string>();
        foreach (var page in Pages())
        {
            foreach (Match span in CodeSpan().Matches(WithoutFences(File.ReadAllText(Repo.Path(page)))))
            {
                if (MarkdownFile().IsMatch(span.Groups["code"].Value)) mentions.Add($"{page}: `{span.Groups["code"].Value}`");
            }
        }

        Assert.True(mentions.Count == 0, "Mentions of a page as code, not as a link:\n" + string.Join('\n', mentions));
    }

    [Fact]
    public void TheScriptsNameHeadingsThatExist()
    {
        var named = new List<string>();
        foreach (var script in Directory.GetFiles(Repo.Path("scripts"), "*.sh").Concat(Directory.GetFiles(Repo.Root, "*.sh")))
        {
            foreach (Match mention in ScriptMention().Matches(File.ReadAllText(script)))
            {
                named.Add(mention.Value);
                Assert.True(Resolve("README.md", mention.Value) is null,
                    $"{Path.GetFileName(script)} names {mention.Value}: {Resolve("README.md", mention.Value)}");
            }
        }

        // The host-missing error of scripts/functions-host.sh points at the prerequisites.
        Assert.Contains("README.md#prerequisites", named);
    }

    /// <summary>What a broken link lacks, or null when its file (and heading) exist.</summary>
    private static string? Resolve(string page, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var file = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var path = file.Length == 0 ? page : Normalize(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
        if (path.StartsWith("..", StringComparison.Ordinal)) return "leaves the repository";
        var full = Repo.Path(path);
        if (!File.Exists(full) && !Directory.Exists(full)) return $"{path} does not exist";
        if (anchor is null) return null;
        if (!path.EndsWith(".md", StringComparison.Ordinal)) return $"{path} is not a page with headings";
        var anchors = Anchors(File.ReadAllText(full));
        return anchors.Contains(anchor) ? null : $"{path} has no heading #{anchor} (it has: {string.Join(", ", anchors)})";
    }

    /// <summary>The README and the pages of docs/.</summary>
    private static IEnumerable<string> Pages() =>
        ["README.md", .. Directory.GetFiles(Repo.Path("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    internal static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in WithoutFences(markdown).Split('\n'))
        {
            if (Heading().Match(line) is not { Success: true } heading) continue;
            var text = InlineLink().Replace(heading.Groups["text"].Value.Trim(), "${text}");
            var slug = new StringBuilder();
            foreach (var c in text.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }
            var anchor = slug.ToString();
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }
        return anchors;
    }

    /// <summary>The link targets of a page's prose: [text](target) and ![alt](target).</summary>
    private static IEnumerable<string> Links(string prose) =>
        LinkTarget().Matches(prose).Select(m => m.Groups["target"].Value);

    /// <summary>A page without its fenced blocks and code spans, where brackets are not links.</summary>
    private static string Prose(string markdown) => CodeSpan().Replace(WithoutFences(markdown), "");

    private static string WithoutFences(string markdown)
    {
        var kept = new StringBuilder();
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence) kept.Append(line).Append('\n');
        }
        return kept.ToString();
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^[a-z]+:", RegexOptions.IgnoreCase)]
    private static partial Regex External();

    [GeneratedRegex(@"`(?<code>[^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[\w./-]*\.md$")]
    private static partial Regex MarkdownFile();

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"(README|docs/[\w-]+)\.md#[\w-]+")]
    private static partial Regex ScriptMention();
}
