using System.Globalization;
using CallFunctions.Calls;
using CallFunctions.Rules;

namespace CallFunctions.Operators.Explain;

/// <summary>An <see cref="ExplainReport"/> as the command line prints it.</summary>
internal static class ExplainText
{
    public static async Task WriteAsync(ExplainReport report, TextWriter output)
    {
        await output.WriteLineAsync(
            $"Explained at {Time(report.At)}; default action {report.DefaultAction}{(report.DefaultTarget is null ? "" : $" to {report.DefaultTarget}")}.");
        foreach (var item in report.Items)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Notification {item.Index}: call {item.CallId ?? "-"} ({item.Stage})");
            if (item.Note is not null) await output.WriteLineAsync($"  {item.Note}");
            if (item.Rules is null) continue;
            await output.WriteLineAsync($"  caller  {item.Caller}");
            await output.WriteLineAsync($"  callee  {string.Join("; ", item.Callees ?? [])}");
            foreach (var route in item.Routes ?? []) await output.WriteLineAsync($"  route   {route}");
            await output.WriteLineAsync($"  type    {item.CallType}, tenant {item.TenantId ?? "-"}");
            await output.WriteLineAsync(item.Rules.Count == 0 ? "  rules   none for this tenant" : "  rules");
            foreach (var rule in item.Rules) await WriteRuleAsync(rule, output);
            var decision = item.Decision!;
            await output.WriteLineAsync(
                $"  decision {decision.Action}{(decision.Reason is null ? "" : $" ({decision.Reason})")}{(decision.Target is null ? "" : $" to {decision.Target}")} by rule {decision.Rule}");
            if (decision.Key is not null)
                await output.WriteLineAsync(
                    $"  challenge: key {decision.Key} within {decision.Timeout} s of prompt {decision.Prompt}; a pass is remembered {decision.Remember ?? "never"}");
            if (decision.Remembered is not null) await output.WriteLineAsync($"  caller  {decision.Remembered}");
        }
    }

    private static async Task WriteRuleAsync(RuleVerdict rule, TextWriter output)
    {
        var priority = rule.Priority?.ToString(CultureInfo.InvariantCulture) ?? "";
        await output.WriteLineAsync($"    {VerdictText(rule.Verdict),-12}{priority,6}  {$"{rule.Scope}/{rule.Name}",-32} {rule.Action}");
        if (rule.Note is not null) await output.WriteLineAsync($"{"",24}{rule.Note}");
        foreach (var check in rule.Conditions)
            await output.WriteLineAsync($"{"",24}{check.Column} \"{check.Value}\": {(check.Holds ? "holds" : "does not hold")}, {check.Detail}");
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Rules.Verdict.NoMatch => "no match",
        Rules.Verdict.NotReached => "not reached",
        Rules.Verdict.OtherStage => "other stage",
        Rules.Verdict.BadRow => "bad row",
        _ => CamelCaseEnum<Verdict>.Name(verdict),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
