namespace CallFunctions.Calls;

/// <summary>
/// What can be done with a call: let it be, reject it, send it on (redirect) or challenge the caller (answer, ask for a
/// key, then connect or hang up) while it rings, or hang up once the bot is in it. Everything else the app knows of an
/// action is its declaration (<see cref="Actions"/>).
/// </summary>
public enum RuleAction { Allow, Reject, HangUp, Redirect, Challenge }

/// <summary>
/// One action, declared once: where it applies, what it leaves of the bot's part in the call, how a delivery claims
/// it, what the webhook answers for it, the rule columns it carries, and how the page shows it.
/// </summary>
/// <param name="AppliesAt">The stages whose rules it may be: a ringing call's, a call the bot is in, or both.</param>
/// <param name="LeavesCall">
/// Once Graph took it, the bot is out of the call: its later notifications consult its record, which says so, and no
/// rule acts on it again.
/// </param>
/// <param name="ClaimKey">The claim row's key (one delivery acts); null for an action that sends nothing to Graph.</param>
/// <param name="Outcome">What the webhook's answer says of a notification this action decided.</param>
/// <param name="Columns">The rule columns that carry what it needs (a Reject's reason, a Redirect's targets), its alone.</param>
/// <param name="Series">The page's counter and chart series (<c>totals.rejected</c>, <c>buckets[].rejected</c>).</param>
/// <param name="Label">The page's name for the series.</param>
/// <param name="Color">The page's color for the series, its counter and its records.</param>
/// <param name="Text">Its text with what it carries, as records, answers and what-if spell it.</param>
/// <param name="ReadPayload">
/// What a rule of this action carries, read from its <paramref name="Columns"/> and checked (an error names the column);
/// null for an action that carries nothing.
/// </param>
/// <param name="DefaultPayload">What it carries when nothing says otherwise (the default action, a Reject without a Reason).</param>
public sealed record ActionDeclaration(
    RuleAction Action,
    IReadOnlyList<CallStage> AppliesAt,
    bool LeavesCall,
    string? ClaimKey,
    ItemOutcome Outcome,
    IReadOnlyList<string> Columns,
    string Series,
    string Label,
    string Color,
    Func<DecidedAction, string> Text,
    Func<IRuleColumns, ActionPayload?> ReadPayload,
    ActionPayload? DefaultPayload = null)
{
    public bool AppliesAtStage(CallStage stage) => AppliesAt.Contains(stage);

    /// <summary>Why a rule of this action does not apply at a stage it is not declared for, as explain says it.</summary>
    public string OtherStageNote => AppliesAt.SequenceEqual([CallStage.Active])
        ? $"{Action} rules apply once the bot is in the call, not to a ringing call"
        : $"{Action} rules apply to ringing calls only";
}

/// <summary>The declaration of every action: a switch on an action anywhere else asks here, and an unknown one throws.</summary>
public static class Actions
{
    private static readonly ActionDeclaration Reject = new(
        RuleAction.Reject, [CallStage.Incoming], LeavesCall: true, "claim-reject", ItemOutcome.Rejected, ["Reason"],
        "rejected", "Rejected", "#c62828", a => $"Reject {a.Reason}",
        row => new Rejection(row.Enum<RejectReason>("Reason") ?? RejectReason.None), new Rejection(RejectReason.None));

    private static readonly ActionDeclaration Redirect = new(
        RuleAction.Redirect, [CallStage.Incoming], LeavesCall: true, "claim-redirect", ItemOutcome.Redirected, ["Target", "Timeout"],
        "redirected", "Redirected", "#1565c0", a => $"Redirect to {a.Target}",
        ReadRedirection);

    private static readonly ActionDeclaration Challenge = new(
        RuleAction.Challenge, [CallStage.Incoming], LeavesCall: false, "claim-challenge", ItemOutcome.Challenged,
        ["Target", "Timeout", "Key", "Prompt", "Remember"],
        "challenged", "Challenged", "#6a1b9a", a => $"Challenge, then to {a.Target}",
        ReadChallenge);

    private static readonly ActionDeclaration HangUp = new(
        RuleAction.HangUp, [CallStage.Active], LeavesCall: true, "claim-hangup", ItemOutcome.HungUp, [],
        "hungUp", "Hung up", "#ef6c00", _ => nameof(RuleAction.HangUp), _ => null);

    private static readonly ActionDeclaration Allow = new(
        RuleAction.Allow, [CallStage.Incoming, CallStage.Active], LeavesCall: false, ClaimKey: null, ItemOutcome.Allowed, [],
        "allowed", "Allowed", "#2e7d32", _ => nameof(RuleAction.Allow), _ => null);

    /// <summary>Target and Timeout: one or more targets, and how long they ring within Graph's bounds.</summary>
    private static Redirection ReadRedirection(IRuleColumns row)
    {
        var target = row.String("Target") ?? throw row.Bad("Target", null, $"is missing: a Redirect rule needs one or more targets, {Targets.Kinds}");
        var timeout = row.Int("Timeout");
        if (timeout is < Redirection.MinTimeoutSeconds or > Redirection.MaxTimeoutSeconds)
            throw row.Bad("Timeout", row.Text("Timeout"),
                $"must be from {Redirection.MinTimeoutSeconds} to {Redirection.MaxTimeoutSeconds} seconds, as Graph allows");
        return new Redirection(row.Parsed("Target", target, Targets.Parse), timeout);
    }

    /// <summary>
    /// Target, Key, Timeout, Prompt and Remember: exactly one target, the key that passes (default 1), how long the caller
    /// has from the prompt (5 to 60 s, default 15), the prompt (a served prompt's name or an https URL; default the
    /// served prompt that says the key) and how long a caller who passed goes straight through.
    /// </summary>
    private static ChallengeTerms ReadChallenge(IRuleColumns row)
    {
        var text = row.String("Target") ?? throw row.Bad("Target", null, $"is missing: a Challenge rule connects a caller who passes to one target, {Targets.Kinds}");
        var targets = row.Parsed("Target", text, Targets.Parse);
        if (targets.Count != 1)
            throw row.Bad("Target", text, $"holds {targets.Count} targets: a Challenge rule transfers the call to exactly one");
        var key = row.String("Key") is { } k ? row.Parsed("Key", k.Trim(), ChallengeTerms.ParseKey) : ChallengeTerms.DefaultKey;
        var timeout = row.Int("Timeout") ?? ChallengeTerms.DefaultTimeoutSeconds;
        if (timeout is < ChallengeTerms.MinTimeoutSeconds or > ChallengeTerms.MaxTimeoutSeconds)
            throw row.Bad("Timeout", row.Text("Timeout"),
                $"must be from {ChallengeTerms.MinTimeoutSeconds} to {ChallengeTerms.MaxTimeoutSeconds} seconds for a Challenge rule: the time the caller has to press the key");
        var prompt = row.String("Prompt") is { } p ? row.Parsed("Prompt", p.Trim(), ChallengeTerms.ParsePrompt) : null;
        var remember = row.String("Remember") is { } r ? row.Parsed("Remember", r.Trim(), ChallengeTerms.ParseRemember) : (TimeSpan?)null;
        return new ChallengeTerms(targets[0], key, timeout, prompt, remember);
    }

    /// <summary>Every action, in the order the README, the errors and the page list them.</summary>
    public static IReadOnlyList<ActionDeclaration> All { get; } = [Reject, Redirect, Challenge, HangUp, Allow];

    public static ActionDeclaration Of(RuleAction action) => action switch
    {
        RuleAction.Reject => Reject,
        RuleAction.Redirect => Redirect,
        RuleAction.HangUp => HangUp,
        RuleAction.Allow => Allow,
        RuleAction.Challenge => Challenge,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "An action that has no declaration."),
    };

    /// <summary>The actions in words: <c>Reject, Redirect, HangUp or Allow</c>.</summary>
    public static string Names(IEnumerable<ActionDeclaration> actions, string last = "or")
    {
        var names = actions.Select(a => a.Action.ToString()).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} {last} {names[^1]}";
    }

    /// <summary>The actions whose rules may carry a column (<c>Target</c>: Redirect).</summary>
    public static IReadOnlyList<ActionDeclaration> Owning(string column) => [.. All.Where(a => a.Columns.Contains(column))];

    /// <summary>Every column an action carries, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. All.SelectMany(a => a.Columns).Distinct()];
}
