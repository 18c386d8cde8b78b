using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CallFunctions.Tests;

/// <summary>
/// infra/main.bicep deploys what the app reads: every setting the app binds or reads is a row of docs/configuration.md,
/// deployed by the template parameter the row names (with the app's allowed values, lengths and ranges) or said there
/// not to be deployed, and why. The app's settings come from the app itself (its options classes, found by their
/// Section constant, and the keys its code reads), not from a list kept here.
/// </summary>
public sealed partial class TemplateSettingsTests
{
    private static readonly string Template = File.ReadAllText(Repo.Path("infra", "main.bicep"));

    [Fact]
    public void EverySettingTheAppReadsIsOnTheConfigurationPage()
    {
        var rows = ConfigurationRows();
        var settings = AppSettings();

        var missing = settings.Where(s => !rows.Keys.Any(r => r == s || r.StartsWith(s + "__", StringComparison.Ordinal))).ToList();

        Assert.True(settings.Count >= 25, $"Settings found in the app: {settings.Count} ({string.Join(", ", settings)})");
        Assert.True(missing.Count == 0, "Settings the app reads that docs/configuration.md does not list: " + string.Join(", ", missing));
    }

    [Fact]
    public void EachRowSaysHowTheTemplateDeploysItAndTheTemplateAgrees()
    {
        var parameters = Parameters();
        var deployed = DeployedSettings();
        var wrong = new List<string>();

        foreach (var (setting, how) in ConfigurationRows())
        {
            if (ParameterCell().Match(how) is { Success: true } named)
            {
                var parameter = named.Groups["name"].Value;
                if (!parameters.ContainsKey(parameter)) wrong.Add($"{setting}: main.bicep has no parameter {parameter}");
                else if (!deployed.TryGetValue(setting, out var from)) wrong.Add($"{setting}: main.bicep sets no app setting {setting}");
                else if (!Regex.IsMatch(from, $@"\b{parameter}\b")) wrong.Add($"{setting}: main.bicep sets it from `{from}`, not from {parameter}");
            }
            else if (how.StartsWith("set by the template", StringComparison.Ordinal))
            {
                if (!deployed.Keys.Any(d => d == setting || d.StartsWith(setting + "__", StringComparison.Ordinal)) && !Template.Contains(setting, StringComparison.Ordinal))
                    wrong.Add($"{setting}: said to be set by the template, which does not name it");
            }
            else if (how.StartsWith("not deployed: ", StringComparison.Ordinal) && how.Length > "not deployed: ".Length + 10)
            {
                if (deployed.ContainsKey(setting)) wrong.Add($"{setting}: said not to be deployed, and main.bicep sets it");
            }
            else
            {
                wrong.Add($"{setting}: the last column must name a parameter (`name`), say \"set by the template\", or \"not deployed: <why>\", not \"{how}\"");
            }
        }
        // And the other way: every app setting the template writes is on the page.
        foreach (var setting in deployed.Keys.Where(d => d.Contains("__", StringComparison.Ordinal) && !d.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal)))
            if (!ConfigurationRows().ContainsKey(setting)) wrong.Add($"{setting}: main.bicep sets it, docs/configuration.md does not list it");

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void EveryDeployedParameterAllowsWhatTheAppAllowsNoMoreNoLess()
    {
        var parameters = Parameters();
        var wrong = new List<string>();
        var compared = 0;

        foreach (var (setting, how) in ConfigurationRows())
        {
            if (ParameterCell().Match(how) is not { Success: true } named || OptionProperty(setting) is not { } property) continue;
            var parameter = parameters[named.Groups["name"].Value];
            compared++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

            if (type.IsEnum)
            {
                // The names the options take: a value their own validation refuses (Challenge as the default action) is not allowed.
                var app = Enum.GetNames(type).Where(name => Accepts(property, Enum.Parse(type, name))).Order(StringComparer.Ordinal);
                if (parameter.Allowed is not { } allowed || !allowed.Order(StringComparer.Ordinal).SequenceEqual(app))
                    wrong.Add($"{setting}: the app allows {string.Join(", ", app)}; {parameter.Name} allows {(parameter.Allowed is null ? "anything" : string.Join(", ", parameter.Allowed))}");
            }
            else if (type == typeof(bool) && parameter.Type != "bool") wrong.Add($"{setting}: a bool in the app, {parameter.Type} in main.bicep");
            else if (type == typeof(int) && parameter.Type != "int") wrong.Add($"{setting}: an int in the app, {parameter.Type} in main.bicep");

            if (property.GetCustomAttribute<RangeAttribute>() is { } range
                && (Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture) != parameter.MinValue
                    || Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture) != parameter.MaxValue))
                wrong.Add($"{setting}: the app takes {range.Minimum} to {range.Maximum}; {parameter.Name} takes {parameter.MinValue} to {parameter.MaxValue}");

            if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern && Lengths(pattern.Pattern) is var (min, max)
                && (min != parameter.MinLength || max != parameter.MaxLength))
                wrong.Add($"{setting}: the app takes {min} to {max} characters; {parameter.Name} takes {parameter.MinLength} to {parameter.MaxLength}");
        }

        Assert.True(compared >= 8, $"Parameters compared with the app's settings: {compared}");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void EveryAzdValueTheDocsSetReachesAParameterThatAllowsIt()
    {
        var mapping = AzdMapping();
        var parameters = Parameters();
        var wrong = new List<string>();
        var sets = 0;

        foreach (var page in Directory.GetFiles(Repo.Path("docs"), "*.md").Append(Repo.Path("README.md")))
        {
            foreach (Match set in AzdEnvSet().Matches(File.ReadAllText(page)))
            {
                var (name, value) = (set.Groups["name"].Value, set.Groups["value"].Value.Trim('"'));
                if (name is "AZURE_LOCATION" or "AZURE_RESOURCE_GROUP" or "AZURE_SUBSCRIPTION_ID") continue;
                sets++;
                if (!mapping.TryGetValue(name, out var parameterName)) { wrong.Add($"{Path.GetFileName(page)}: azd env {name} reaches no parameter (infra/main.parameters.json)"); continue; }
                var parameter = parameters[parameterName];
                if (value.StartsWith('$')) continue;
                if (parameter.Allowed is { } allowed && !allowed.Contains(value)) wrong.Add($"{Path.GetFileName(page)}: {name}={value}, which {parameterName} does not allow ({string.Join(", ", allowed)})");
                if (parameter.MaxLength is { } max && value.Length > max) wrong.Add($"{Path.GetFileName(page)}: {name} is longer than {parameterName}'s {max}");
            }
        }

        Assert.True(sets >= 4, $"azd env set commands checked: {sets}");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    /// <summary>Every setting the app reads: its options' properties (Section__Property) and the keys its code reads by name.</summary>
    private static List<string> AppSettings()
    {
        var settings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in OptionsTypes())
        {
            var section = (string)type.GetField("Section")!.GetValue(null)!;
            foreach (var property in Settable(type)) settings.Add($"{section}__{property.Name}");
        }
        foreach (var file in Directory.GetFiles(Repo.Path("CallFunctions"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            foreach (Match key in ConfigurationKey().Matches(File.ReadAllText(file)))
                settings.Add(key.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal));
        }
        return [.. settings];
    }

    /// <summary>The app's options classes: those with a public const string Section, as BindConfiguration takes.</summary>
    private static IEnumerable<Type> OptionsTypes() =>
        Assembly.Load("CallFunctions").GetTypes().Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f && f.FieldType == typeof(string));

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    private static PropertyInfo? OptionProperty(string setting)
    {
        var parts = setting.Split("__");
        if (parts.Length != 2) return null;
        var type = OptionsTypes().FirstOrDefault(t => (string)t.GetField("Section")!.GetValue(null)! == parts[0]);
        return type is null ? null : Settable(type).FirstOrDefault(p => p.Name == parts[1]);
    }

    /// <summary>The lengths a table-name pattern such as ^[A-Za-z][A-Za-z0-9]{2,54}$ allows: one, plus the repeat's bounds.</summary>
    private static (int Min, int Max)? Lengths(string pattern) =>
        TableNamePattern().Match(pattern) is { Success: true } m
            ? (int.Parse(m.Groups["min"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(m.Groups["max"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1)
            : null;

    /// <summary>docs/configuration.md's table: each setting and its last column (how the template deploys it).</summary>
    private static Dictionary<string, string> ConfigurationRows()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Repo.Path("docs", "configuration.md")))
        {
            if (ConfigurationRow().Match(line) is not { Success: true } row) continue;
            var cells = line.Replace("\\|", "", StringComparison.Ordinal).Trim().Trim('|').Split('|');
            rows[row.Groups["setting"].Value] = cells[^1].Trim();
        }
        return rows;
    }

    private sealed record Parameter(string Name, string Type, IReadOnlyList<string>? Allowed, long? MinValue, long? MaxValue, long? MinLength, long? MaxLength);

    /// <summary>main.bicep's parameters with their decorators.</summary>
    private static Dictionary<string, Parameter> Parameters()
    {
        var parameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        var decorators = new List<string>();
        var lines = Template.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith('@'))
            {
                var decorator = line;
                // @allowed([ ... ]) spans lines.
                while (decorator.Count(c => c == '(') > decorator.Count(c => c == ')')) decorator += "\n" + lines[++i];
                decorators.Add(decorator);
                continue;
            }
            if (BicepParam().Match(line) is { Success: true } param)
            {
                long? Number(string name) => decorators.Select(d => Regex.Match(d, $@"^@{name}\((?<n>-?[0-9]+)\)")).FirstOrDefault(m => m.Success) is { } m
                    ? long.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
                var allowed = decorators.FirstOrDefault(d => d.StartsWith("@allowed", StringComparison.Ordinal)) is { } a
                    ? Regex.Matches(a, "'(?<v>[^']*)'").Select(m => m.Groups["v"].Value).ToList() : null;
                parameters[param.Groups["name"].Value] = new(param.Groups["name"].Value, param.Groups["type"].Value, allowed,
                    Number("minValue"), Number("maxValue"), Number("minLength"), Number("maxLength"));
            }
            if (line.Length == 0 || !line.StartsWith("//", StringComparison.Ordinal)) decorators.Clear();
        }
        return parameters;
    }

    /// <summary>The app settings main.bicep writes, each with the expression it writes.</summary>
    private static Dictionary<string, string> DeployedSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match entry in AppSettingEntry().Matches(Template)) settings[entry.Groups["name"].Value] = entry.Groups["value"].Value.Trim();
        return settings;
    }

    /// <summary>infra/main.parameters.json: the azd environment value each parameter takes.</summary>
    private static Dictionary<string, string> AzdMapping()
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        foreach (var (parameter, node) in json)
            if (AzdVariable().Match(node!["value"]!.GetValue<string>()) is { Success: true } variable) mapping[variable.Groups["name"].Value] = parameter;
        return mapping;
    }

    /// <summary>Whether the options take this value of the property: no error of their validation names the property.</summary>
    private static bool Accepts(PropertyInfo property, object value)
    {
        var options = Activator.CreateInstance(property.DeclaringType!)!;
        property.SetValue(options, value);
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);
        return !errors.Any(e => e.MemberNames.Contains(property.Name));
    }

    [GeneratedRegex(@"^\| `(?<setting>[A-Za-z_]+)` \|")]
    private static partial Regex ConfigurationRow();

    [GeneratedRegex(@"^`(?<name>[a-zA-Z]+)`")]
    private static partial Regex ParameterCell();

    [GeneratedRegex(@"(?:[Cc]onfiguration|GetSection\(|Setting =)\s*(?:\[)?\(?""(?<key>[A-Za-z_][A-Za-z0-9_:]*)""")]
    private static partial Regex ConfigurationKey();

    [GeneratedRegex(@"^\^\[A-Za-z\]\[A-Za-z0-9\]\{(?<min>[0-9]+),(?<max>[0-9]+)\}\$$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex(@"^param (?<name>[A-Za-z0-9_]+) (?<type>[a-z]+|\{[^}]*\})")]
    private static partial Regex BicepParam();

    [GeneratedRegex(@"\{\s*name: '(?<name>[A-Za-z0-9_]+)'\s*,?\s*value: (?<value>[^}]+)\}")]
    private static partial Regex AppSettingEntry();

    [GeneratedRegex(@"^\$\{(?<name>[A-Z_]+)")]
    private static partial Regex AzdVariable();

    [GeneratedRegex(@"azd env set (?<name>[A-Z_]+) (?<value>""[^""]*""|\S+)")]
    private static partial Regex AzdEnvSet();
}
