using System.Text.Json.Serialization;

namespace CallFunctions.Calls;

/// <summary>What became of one notification of a batch, as the webhook's answer names it.</summary>
[JsonConverter(typeof(CamelCaseEnum<ItemOutcome>))]
public enum ItemOutcome
{
    /// <summary>A ringing call the rules reject; Graph was asked to reject it.</summary>
    Rejected,

    /// <summary>A call in progress the rules end; Graph was asked to hang up.</summary>
    HungUp,

    /// <summary>A ringing call the rules let through.</summary>
    Allowed,

    /// <summary>A ringing call the rules send on; Graph was asked to redirect it to the rule's targets.</summary>
    Redirected,

    /// <summary>
    /// A ringing call a Challenge rule answers (Graph was asked to answer it), or a later step of its challenge: the
    /// prompt asked for, the caller's key (connected or hung up).
    /// </summary>
    Challenged,

    /// <summary>A termination, recorded with its meaning.</summary>
    Recorded,

    /// <summary>An update of a call that nothing applies to.</summary>
    None,

    /// <summary>A delivery of a notification already acted on (here or on another instance).</summary>
    Duplicate,

    /// <summary>Not about a call, or not about how a call ended at the outcomes route.</summary>
    Ignored,

    /// <summary>A notification that cannot be read; the answer says why.</summary>
    Invalid,

    /// <summary>What was done could be neither stored nor held: Graph should deliver it again.</summary>
    Failed,

    /// <summary>Still being worked on when the webhook had to answer; it finishes after the answer.</summary>
    Pending,
}
