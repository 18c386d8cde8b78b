using CallFunctions.Notifications;

namespace CallFunctions.Rules;

/// <summary>What is known about a call when rules are evaluated: this notification merged with earlier ones.</summary>
public sealed record CallContext(string? TenantId, Party Source, IReadOnlyList<Party> Targets, bool IsGroup)
{
    public static CallContext From(CallEvent e) =>
        new(e.TenantId, e.Source ?? Party.None, e.Targets ?? [], e.IsGroup ?? false);
}

/// <summary>Which rules apply: Reject to a ringing call, HangUp to a call the bot is in; Allow to both.</summary>
public enum Stage { Incoming, Active }
