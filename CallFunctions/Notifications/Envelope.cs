using CallFunctions.Calls;

namespace CallFunctions.Notifications;

/// <summary>The outcome of parsing a request body: a batch, the legacy format, or a body that is not usable at all.</summary>
public abstract record Envelope
{
    public sealed record Batch(IReadOnlyList<Item> Items) : Envelope;

    /// <summary>The first notification may come in a legacy format; Graph re-sends it in its own format after a 204.</summary>
    public sealed record Legacy : Envelope;

    public sealed record Invalid(string Detail) : Envelope;
}

/// <summary>One element of the envelope's <c>value</c> array.</summary>
public abstract record Item(int Index)
{
    public sealed record Call(int Index, CallEvent Event) : Item(Index);

    /// <summary>Sub-resources (participants, operations) and other resources the handler has nothing to do with.</summary>
    public sealed record Ignored(int Index, string ResourceUrl) : Item(Index);

    public sealed record Bad(int Index, string Error) : Item(Index);
}
