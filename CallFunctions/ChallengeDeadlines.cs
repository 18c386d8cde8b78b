using CallFunctions.Records;
using CallFunctions.Screening;
using Microsoft.Azure.Functions.Worker;

namespace CallFunctions;

/// <summary>
/// A challenge's deadline: the queue message sent when its prompt was asked for shows after the rule's Timeout, and
/// whichever instance polls first hangs up a challenge still undecided (<see cref="ChallengeTimeouts"/>). The queue is
/// <c>Calls__ChallengeQueue</c>; host.json's <c>extensions.queues</c> says how often it is polled. A failure throws, so
/// the host shows the message again (up to five times): a decided challenge makes a repeat do nothing.
/// </summary>
public sealed class ChallengeDeadlines(ChallengeFlow challenges, ILogger<ChallengeDeadlines> logger)
{
    [Function(nameof(ChallengeDeadlines))]
    public async Task RunAsync([QueueTrigger("%Calls:ChallengeQueue%")] string message, CancellationToken ct)
    {
        if (ChallengeTimeouts.Read(message) is not { } timeout)
        {
            Screening.Log.UnreadableDeadline(logger, message.Length);
            return;
        }
        await challenges.TimeoutAsync(timeout.CallId, ct);
    }
}
