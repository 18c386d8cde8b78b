namespace CallFunctions.Calls;

/// <summary>What is known about a call when rules are evaluated: this notification merged with earlier ones.</summary>
public sealed record CallContext(string? TenantId, Party Source, IReadOnlyList<Party> Targets, bool IsGroup, IReadOnlyList<CallRoute> Routes)
{
    /// <summary>
    /// Who the call was for: its targets, and for a forwarded call the number or user first dialled, so a Callee rule
    /// on a published number still holds after a forward.
    /// </summary>
    public IReadOnlyList<Party> Callees { get; } =
        [.. Targets, .. Routes.Where(r => r.IsForwarded && r.Original.Identities.Count > 0).Select(r => r.Original)];

    public CallType Type => IsGroup ? CallType.Group : CallType.PeerToPeer;

    public static CallContext From(CallEvent e) =>
        new(e.TenantId, e.Source ?? Party.None, e.Targets ?? [], e.IsGroup ?? false, e.Routes ?? []);

    /// <summary>A later notification over what is known: what it carries wins, what it leaves out is kept.</summary>
    public CallContext With(CallEvent e) => new(
        e.TenantId ?? TenantId,
        e.Source ?? Source,
        e.Targets ?? Targets,
        e.IsGroup ?? IsGroup,
        e.Routes ?? Routes);
}

/// <summary>A call between two parties, or a group call; <see cref="Any"/> is for a rule that does not care.</summary>
public enum CallType { Any, PeerToPeer, Group }
