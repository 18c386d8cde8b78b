using CallFunctions.Calls;

namespace CallFunctions.Webhook;

/// <summary>What the handler did with one notification of a batch; the 202 answer lists them.</summary>
public sealed record ItemReport(
    int Index,
    string? CallId,
    ItemOutcome Outcome,
    string? Rule = null,
    int? GraphStatus = null,
    int? GraphAttempts = null,
    bool? DryRun = null,
    string? Meaning = null,
    string? Error = null);

public sealed record BatchReport(IReadOnlyList<ItemReport> Items);
