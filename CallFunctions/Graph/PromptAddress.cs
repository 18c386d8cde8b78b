using System.Text;
using CallFunctions.Calls;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.Graph;

/// <summary>
/// Where Graph fetches a challenge's prompt: a served prompt at <c>/api/prompts/{name}</c> on the origin of
/// <c>Calls__CallbackUri</c> (the app's public address), or the rule's own https URL. Its resourceId is a GUID made
/// from the served audio (or the URL), so Graph's cache holds one copy per prompt and a changed file is fetched anew.
/// </summary>
public sealed class PromptAddress(IOptions<CallsOptions> options)
{
    public const string Route = "prompts/{name}";

    /// <summary>The prompt's address; null when it is served but <c>Calls__CallbackUri</c> is not set, so no public address is known.</summary>
    public PromptMedia? For(ChallengeTerms terms)
    {
        var prompt = terms.PromptOrDefault;
        if (!terms.PromptIsServed) return new PromptMedia(new Uri(prompt), PromptFile.ResourceIdOf(Encoding.UTF8.GetBytes(prompt)));
        if (options.Value.CallbackUri is not { } callback || PromptFiles.Served.Find(prompt) is not { Error: null } file) return null;
        return new PromptMedia(new Uri(new Uri(callback.GetLeftPart(UriPartial.Authority)), $"/api/prompts/{prompt}"), file.ResourceId);
    }
}
