namespace CallFunctions.Graph;

/// <summary>
/// A prompt as Graph fetches and caches it: its https URL and a <c>resourceId</c> that stays the same while the audio
/// does (Graph caches a prompt by it).
/// </summary>
public sealed record PromptMedia(Uri Uri, string ResourceId);
