using System.Text.Json.Serialization;

namespace CallFunctions.Screening;

/// <summary>What became of one notification of a batch, as the webhook's answer names it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ItemOutcome>))]
public enum ItemOutcome
{
    /// <summary>A ringing call the rules reject; Graph was asked to reject it.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,

    /// <summary>A call in progress the rules end; Graph was asked to hang up.</summary>
    [JsonStringEnumMemberName("hungUp")] HungUp,

    /// <summary>A ringing call the rules let through.</summary>
    [JsonStringEnumMemberName("allowed")] Allowed,

    /// <summary>A termination, recorded with its meaning.</summary>
    [JsonStringEnumMemberName("recorded")] Recorded,

    /// <summary>An update of a call that nothing applies to.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>A delivery of a notification already acted on (here or on another instance).</summary>
    [JsonStringEnumMemberName("duplicate")] Duplicate,

    /// <summary>Not about a call, or not about how a call ended at the outcomes route.</summary>
    [JsonStringEnumMemberName("ignored")] Ignored,

    /// <summary>A notification that cannot be read; the answer says why.</summary>
    [JsonStringEnumMemberName("invalid")] Invalid,

    /// <summary>What was done could be neither stored nor held: Graph should deliver it again.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Still being worked on when the webhook had to answer; it finishes after the answer.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
}
