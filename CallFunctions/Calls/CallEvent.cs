using System.Buffers;
using System.Text;

namespace CallFunctions.Calls;

public enum ChangeType { Created, Updated, Deleted }

/// <summary>One identity of an identitySet: its kind (user, phone, application…) and id.</summary>
public sealed record Identity(string Kind, string Id)
{
    private static readonly SearchValues<char> Formatting = SearchValues.Create(" -.()\t");

    /// <summary>The id as rules compare it, worked out once per call rather than once per rule it is compared with.</summary>
    public string Key { get; } = Normalize(Id);

    /// <summary>Numbers compare without formatting: <c>tel:+1 (425) 555-0123</c> equals <c>+14255550123</c>.</summary>
    public static string Normalize(string value)
    {
        var span = value.AsSpan().Trim();
        if (span.StartsWith("tel:", StringComparison.OrdinalIgnoreCase)) span = span[4..];
        if (span.IndexOfAny(Formatting) < 0) return span.Length == value.Length ? value : span.ToString();
        var builder = new StringBuilder(span.Length);
        foreach (var c in span)
            if (!Formatting.Contains(c)) builder.Append(c);
        return builder.ToString();
    }
}

/// <summary>A call participant as Graph describes it: every identity its identitySet carries.</summary>
public sealed record Party(IReadOnlyList<Identity> Identities)
{
    public static readonly Party None = new([]);

    /// <summary>
    /// A caller who cannot be told apart: no identity with an id, a number withheld as "anonymous", or an identity
    /// Graph sent <c>encrypted</c> (the bot lacks a Calls.* permission).
    /// </summary>
    public bool IsAnonymous { get; } =
        Identities.All(i => i.Id.Length == 0 || i.Id.Equals("anonymous", StringComparison.OrdinalIgnoreCase))
        || Identities.Any(i => i.Kind.Equals("encrypted", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => string.Join(", ", Identities.Select(i => $"{i.Kind}:{i.Id}"));

    /// <summary>As an explanation shows it: anonymity said in words.</summary>
    public string Describe() =>
        Identities.Count == 0 ? "(none: anonymous)" : IsAnonymous ? $"{this} (anonymous)" : ToString();

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

/// <summary>
/// One of the call's <c>callRoutes</c>: how Graph routed it (<c>forwarded</c>, <c>lookup</c>, <c>selfFork</c>), from the
/// identity first dialled to the one that rang.
/// </summary>
public sealed record CallRoute(string RoutingType, Party Original, Party Final)
{
    private const string Arrow = " -> ";
    private const string Separator = " | ";

    public bool IsForwarded => RoutingType.Equals("forwarded", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{RoutingType} {Original}{Arrow}{Final}";

    /// <summary>Routes as a record column: <c>forwarded phone:+18005550000 -> user:…</c>, routes separated by " | ".</summary>
    public static string Format(IEnumerable<CallRoute> routes) => string.Join(Separator, routes);

    public static IReadOnlyList<CallRoute> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var routes = new List<CallRoute>();
        foreach (var part in text.Split(Separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var space = part.IndexOf(' ', StringComparison.Ordinal);
            var arrow = part.IndexOf(Arrow, StringComparison.Ordinal);
            if (space <= 0 || arrow < space) continue;
            routes.Add(new CallRoute(part[..space], Party.Parse(part[(space + 1)..arrow]), Party.Parse(part[(arrow + Arrow.Length)..])));
        }
        return routes;
    }
}

public sealed record ResultInfo(int? Code, int? Subcode, string? Message)
{
    /// <summary>A failing result on a call still established: a transfer that did not complete.</summary>
    public bool Failed => Code is >= 400;
}

/// <summary>
/// A key the caller pressed, as Graph reports it to a bot that subscribed to tones: <c>tone0</c>–<c>tone9</c>,
/// <c>star</c>, <c>pound</c>, numbered by <c>sequenceId</c>. Graph's terms forbid keeping it: it is compared, never stored.
/// </summary>
public sealed record ToneInfo(int? SequenceId, string Tone);

/// <summary>Graph's <c>callState</c>; a state this app does not know reads as <see cref="Unknown"/>.</summary>
public enum CallState { Unknown, Incoming, Establishing, Established, Hold, Transferring, TransferAccepted, Redirecting, Terminating, Terminated }

/// <summary>
/// Where a call stands after a notification: the one word the webhook, explain and what-if use. Each action declares
/// the stages it applies at (<see cref="Actions"/>); explain answers it as its camelCase name.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnum<CallStage>))]
public enum CallStage
{
    /// <summary>The call rings (created, incoming): the rules of ringing calls apply (Reject, Redirect, Allow).</summary>
    Incoming,

    /// <summary>Any later notification of a call not ending: the rules of a call the bot is in apply (HangUp, Allow).</summary>
    Active,

    /// <summary>The call is being torn down: nothing to decide.</summary>
    Terminating,

    /// <summary>The call has ended: its end is recorded.</summary>
    Terminated,
}

/// <summary>What one notification says about a call. Fields a notification does not carry are null.</summary>
public sealed record CallEvent(
    string CallId,
    ChangeType ChangeType,
    CallState? State,
    Party? Source,
    IReadOnlyList<Party>? Targets,
    string? TenantId,
    bool? IsGroup,
    ResultInfo? Result,
    string? ChainId,
    IReadOnlyList<CallRoute>? Routes = null,
    ToneInfo? Tone = null)
{
    public bool IsIncoming => ChangeType == ChangeType.Created && State == CallState.Incoming;

    public bool IsTermination => ChangeType == ChangeType.Deleted || State == CallState.Terminated;

    public CallStage Stage =>
        IsTermination ? CallStage.Terminated
        : IsIncoming ? CallStage.Incoming
        : State == CallState.Terminating ? CallStage.Terminating
        : CallStage.Active;
}
