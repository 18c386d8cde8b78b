namespace CallFunctions.Model;

/// <summary>What can be done with a call: let it be, reject it while it rings, or hang up once the bot is in it.</summary>
public enum RuleAction { Allow, Reject, HangUp }

/// <summary>The reason a reject gives Graph (its <c>rejectReason</c>).</summary>
public enum RejectReason { None, Busy, Forbidden }

/// <summary>A call between two parties, or a group call; <see cref="Any"/> is for a rule that does not care.</summary>
public enum CallType { Any, PeerToPeer, Group }
