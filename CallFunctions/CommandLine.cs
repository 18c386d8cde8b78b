namespace CallFunctions;

/// <summary>
/// A tool's command line: verbs (<c>rules import file.json</c>), the options the verbs know (<c>--at 2026-03-29T10:00Z</c>,
/// <c>--prune</c>), and settings for the host (<c>--Rules:Table=Staging</c>), which need an '='.
/// </summary>
internal sealed record CommandLine(IReadOnlyList<string> Verbs, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> HostArgs)
{
    private static readonly string[] Valued = ["at", "from", "to", "format"];
    private static readonly string[] Switches = ["prune", "help"];

    /// <summary>What follows the two words of the verb (<c>rules import <b>file.json</b></c>).</summary>
    public IReadOnlyList<string> Arguments => [.. Verbs.Skip(2)];

    public string? Option(string name) => Options.GetValueOrDefault(name);

    public bool Flag(string name) => Options.ContainsKey(name);

    /// <exception cref="FormatException">An unknown option, or a valued option without its value.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var verbs = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                verbs.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (Switches.Contains(name, StringComparer.OrdinalIgnoreCase) && equals < 0) options[name] = "";
            else if (Valued.Contains(name, StringComparer.OrdinalIgnoreCase))
                options[name] = equals >= 0 ? arg[(equals + 1)..]
                    : i + 1 < args.Count ? args[++i]
                    : throw new FormatException($"--{name} needs a value");
            else if (equals > 2) hostArgs.Add(arg);
            else throw new FormatException($"unknown option {arg}");
        }
        return new CommandLine(verbs, options, hostArgs);
    }
}
