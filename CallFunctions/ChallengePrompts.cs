using CallFunctions.Platform;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// The Challenge action's prompts, for Graph to fetch (anonymous: Graph sends no key): <c>GET /api/prompts/press-1</c>
/// answers the WAV file <c>Prompts/press-1.wav</c>. Any other name, and a file not in Graph's format, is 404.
/// </summary>
public sealed class ChallengePrompts
{
    [Function(nameof(ChallengePrompts))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "prompts/{name}")] HttpRequest request, string name) =>
        PromptFiles.Served.Find(name) is { Error: null } prompt
            ? TypedResults.Bytes(prompt.Audio, "audio/wav", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{prompt.Hash}\""))
            : TypedResults.Problem(
                $"No served prompt is named \"{(name.Length > 64 ? name[..64] + "…" : name)}\": the app serves {string.Join(", ", PromptFiles.Served.All.Where(p => p.Error is null).Select(p => p.Name))}.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown prompt");
}
