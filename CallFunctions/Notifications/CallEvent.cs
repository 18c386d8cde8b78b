namespace CallFunctions.Notifications;

public enum ChangeType { Created, Updated, Deleted }

/// <summary>One identity of an identitySet: its kind (user, phone, application…) and id.</summary>
public sealed record Identity(string Kind, string Id);

/// <summary>A call participant as Graph describes it: every identity its identitySet carries.</summary>
public sealed record Party(IReadOnlyList<Identity> Identities)
{
    public static readonly Party None = new([]);

    public override string ToString() => string.Join(", ", Identities.Select(i => $"{i.Kind}:{i.Id}"));

    /// <summary>Reads back what <see cref="ToString"/> wrote into a record.</summary>
    public static Party Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var identities = new List<Identity>();
        foreach (var part in text.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) identities.Add(new Identity(part[..colon], part[(colon + 1)..]));
        }
        return new Party(identities);
    }
}

public sealed record ResultInfo(int? Code, int? Subcode, string? Message);

/// <summary>What one notification says about a call. Fields a notification does not carry are null.</summary>
public sealed record CallEvent(
    string CallId,
    ChangeType ChangeType,
    string? State,
    Party? Source,
    IReadOnlyList<Party>? Targets,
    string? TenantId,
    bool? IsGroup,
    ResultInfo? Result,
    string? ChainId)
{
    public bool IsIncoming => ChangeType == ChangeType.Created && State == "incoming";

    public bool IsTermination => ChangeType == ChangeType.Deleted || State == "terminated";
}
