using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using CallFunctions.Graph;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.Records;

/// <summary>A challenge's deadline, as its queue message carries it.</summary>
public sealed record ChallengeTimeout(string CallId, DateTimeOffset Due);

/// <summary>
/// The challenges' deadlines, durable: each is a message of the Storage queue <c>Calls__ChallengeQueue</c> in
/// AzureWebJobsStorage, sent invisible for the rule's Timeout. When it shows, the host's queue trigger hands it to
/// whichever instance polls first (the function <c>ChallengeTimeouts</c>), so the deadline holds when the instance that
/// asked for the prompt is gone. A message the function fails on comes back after the host's visibility timeout (up
/// to five times). Cost: one request to send, and the host's polling (docs/how-it-works.md).
/// </summary>
public sealed class ChallengeTimeouts(IOptions<StorageOptions> storage, IOptions<CallsOptions> calls, IServiceProvider services)
{
    private readonly Lazy<QueueClient> _queue = new(() => StorageSetup.Queue(storage.Value, services, calls.Value.ChallengeQueue));
    private volatile bool _created;

    /// <summary>Sends the deadline: the message shows after <paramref name="after"/>.</summary>
    public async Task ScheduleAsync(string callId, TimeSpan after, DateTimeOffset now, CancellationToken ct)
    {
        var text = JsonSerializer.Serialize(new ChallengeTimeout(callId, now + after), JsonSerializerOptions.Web);
        try
        {
            await _queue.Value.SendMessageAsync(text, visibilityTimeout: after, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404 && !_created)
        {
            // The queue is made on first use (the host's trigger makes it too, when it starts listening).
            await _queue.Value.CreateIfNotExistsAsync(cancellationToken: ct);
            _created = true;
            await _queue.Value.SendMessageAsync(text, visibilityTimeout: after, cancellationToken: ct);
        }
    }

    /// <summary>A message's deadline; null for one that is not (it is dropped, with a log line).</summary>
    public static ChallengeTimeout? Read(string message)
    {
        try
        {
            return JsonSerializer.Deserialize<ChallengeTimeout>(message, JsonSerializerOptions.Web) is { CallId.Length: > 0 } timeout ? timeout : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
