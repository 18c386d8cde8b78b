using System.Net;
using CallFunctions.Calls;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Communications.Calls.Item.Answer;
using Microsoft.Graph.Communications.Calls.Item.CancelMediaProcessing;
using Microsoft.Graph.Communications.Calls.Item.PlayPrompt;
using Microsoft.Graph.Communications.Calls.Item.Redirect;
using Microsoft.Graph.Communications.Calls.Item.Reject;
using Microsoft.Graph.Communications.Calls.Item.SubscribeToTone;
using Microsoft.Graph.Communications.Calls.Item.Transfer;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using GraphIdentity = Microsoft.Graph.Models.Identity;
using GraphReason = Microsoft.Graph.Models.RejectReason;
using Identity = CallFunctions.Calls.Identity;
using IdentitySet = Microsoft.Graph.Models.IdentitySet;
using InvitationParticipantInfo = Microsoft.Graph.Models.InvitationParticipantInfo;
using RejectReason = CallFunctions.Calls.RejectReason;

namespace CallFunctions.Graph;

/// <summary>
/// The Graph requests the bot sends (reject, redirect, hang up; for a challenge answer, subscribe to tones, play a
/// prompt, cancel it, transfer), with retries for throttling that respect the call's deadline.
/// </summary>
public sealed class GraphCalls(
    GraphServiceClient graph,
    IOptions<GraphOptions> graphOptions,
    IOptions<CallsOptions> callsOptions,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<GraphCalls> logger)
{
    private const int MaxAttempts = 4;

    /// <summary>Rejects a ringing call; <paramref name="notifiedAt"/> is when its notification came, which starts its deadline.</summary>
    public Task<GraphResult> RejectAsync(string callId, RejectReason reason, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, nameof(RuleAction.Reject), Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].Reject.PostAsync(RejectBody(reason), c => c.Options.Add(handler), token),
            ct);

    /// <summary>A new body per attempt: Kiota's backing store sends only values changed since the last serialization.</summary>
    private RejectPostRequestBody RejectBody(RejectReason reason)
    {
        var body = new RejectPostRequestBody
        {
            Reason = reason switch
            {
                RejectReason.Busy => GraphReason.Busy,
                RejectReason.Forbidden => GraphReason.Forbidden,
                _ => GraphReason.None,
            },
        };
        // Kiota sends a property that was assigned, even null: "callbackUri":null would be refused.
        if (callsOptions.Value.CallbackUri is { } callback) body.CallbackUri = callback.AbsoluteUri;
        return body;
    }

    /// <summary>Sends a ringing call on to the redirection's targets, within the same deadline as a reject.</summary>
    public Task<GraphResult> RedirectAsync(string callId, Redirection redirection, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, nameof(RuleAction.Redirect), Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].Redirect.PostAsync(RedirectBody(redirection), c => c.Options.Add(handler), token),
            ct);

    /// <summary>
    /// The body as Graph documents it: each target an invitationParticipantInfo whose identitySet holds one identity,
    /// with the @odata.type of each (the SDK writes them only when set).
    /// The SDK's identitySet has no phone or applicationInstance property (its communicationsIdentitySet does, under
    /// another @odata.type), so those go in as additional data, as Graph's own C# sample does.
    /// </summary>
    private RedirectPostRequestBody RedirectBody(Redirection redirection)
    {
        var body = new RedirectPostRequestBody
        {
            Targets = [.. redirection.Targets.Select(t => new InvitationParticipantInfo
            {
                OdataType = "#microsoft.graph.invitationParticipantInfo",
                Identity = IdentitySetOf(t),
            })],
        };
        if (redirection.TimeoutSeconds is { } timeout) body.Timeout = timeout;
        if (callsOptions.Value.CallbackUri is { } callback) body.CallbackUri = callback.AbsoluteUri;
        return body;
    }

    private static IdentitySet IdentitySetOf(Identity target)
    {
        var identity = new GraphIdentity { OdataType = "#microsoft.graph.identity", Id = target.Id };
        var set = new IdentitySet { OdataType = "#microsoft.graph.identitySet" };
        if (target.Kind == "user") set.User = identity;
        else set.AdditionalData[target.Kind] = identity;
        return set;
    }

    public Task<GraphResult> HangUpAsync(string callId, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, nameof(RuleAction.HangUp), Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].DeleteAsync(c => c.Options.Add(handler), token),
            ct);

    /// <summary>
    /// Answers a ringing call for a challenge, within the same deadline as a reject: audio only, media hosted by the
    /// service, with the prompt fetched ahead (<c>preFetchMedia</c>) so it plays at once when asked for.
    /// </summary>
    public Task<GraphResult> AnswerAsync(string callId, PromptMedia prompt, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, Requests.Answer, Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].Answer.PostAsync(AnswerBody(prompt), c => c.Options.Add(handler), token),
            ct);

    private AnswerPostRequestBody AnswerBody(PromptMedia prompt)
    {
        var body = new AnswerPostRequestBody
        {
            AcceptedModalities = [Modality.Audio],
            MediaConfig = new ServiceHostedMediaConfig
            {
                OdataType = "#microsoft.graph.serviceHostedMediaConfig",
                PreFetchMedia = [MediaInfoOf(prompt)],
            },
        };
        if (callsOptions.Value.CallbackUri is { } callback) body.CallbackUri = callback.AbsoluteUri;
        return body;
    }

    private static MediaInfo MediaInfoOf(PromptMedia prompt) => new() { Uri = prompt.Uri.AbsoluteUri, ResourceId = prompt.ResourceId };

    /// <summary>Asks Graph for the caller's keys: each comes as an update of the call with its <c>toneInfo</c>.</summary>
    public Task<GraphResult> SubscribeToToneAsync(string callId, string clientContext, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, Requests.SubscribeToTone, Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].SubscribeToTone.PostAsync(
                new SubscribeToTonePostRequestBody { ClientContext = clientContext }, c => c.Options.Add(handler), token),
            ct);

    public Task<GraphResult> PlayPromptAsync(string callId, PromptMedia prompt, string clientContext, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, Requests.PlayPrompt, Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].PlayPrompt.PostAsync(
                new PlayPromptPostRequestBody
                {
                    ClientContext = clientContext,
                    Prompts = [new MediaPrompt { OdataType = "#microsoft.graph.mediaPrompt", MediaInfo = MediaInfoOf(prompt) }],
                },
                c => c.Options.Add(handler), token),
            ct);

    /// <summary>Stops a prompt still playing, before a transfer (the tone subscription stays).</summary>
    public Task<GraphResult> CancelMediaProcessingAsync(string callId, string clientContext, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, Requests.CancelMediaProcessing, Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].CancelMediaProcessing.PostAsync(
                new CancelMediaProcessingPostRequestBody { ClientContext = clientContext }, c => c.Options.Add(handler), token),
            ct);

    /// <summary>Transfers a call the bot answered to one target, written as a redirect's targets are.</summary>
    public Task<GraphResult> TransferAsync(string callId, Identity target, DateTimeOffset notifiedAt, CancellationToken ct) =>
        SendAsync(callId, Requests.Transfer, Deadline(notifiedAt),
            (handler, token) => graph.Communications.Calls[callId].Transfer.PostAsync(
                new TransferPostRequestBody
                {
                    TransferTarget = new InvitationParticipantInfo
                    {
                        OdataType = "#microsoft.graph.invitationParticipantInfo",
                        Identity = IdentitySetOf(target),
                    },
                },
                c => c.Options.Add(handler), token),
            ct);

    /// <summary>The names of the requests, as logs and the <c>callfunctions.graph.duration</c> metric give them.</summary>
    public static class Requests
    {
        public const string Answer = nameof(Answer);
        public const string SubscribeToTone = nameof(SubscribeToTone);
        public const string PlayPrompt = nameof(PlayPrompt);
        public const string CancelMediaProcessing = nameof(CancelMediaProcessing);
        public const string Transfer = nameof(Transfer);
        public const string Get = nameof(Get);

        /// <summary>The application permission Graph asks for the request: what a 401 or 403 says is likely missing.</summary>
        public static string Permission(string request) => request switch
        {
            Answer => "Calls.JoinGroupCall.All",
            SubscribeToTone => "Calls.AccessMedia.All",
            _ => "Calls.Initiate.All",
        };
    }

    private DateTimeOffset Deadline(DateTimeOffset notifiedAt) => notifiedAt + TimeSpan.FromSeconds(callsOptions.Value.DeadlineSeconds);

    /// <param name="margin">Kept free at the end of the deadline; by default <c>Calls__DeadlineMarginSeconds</c>.</param>
    /// <param name="logOutcome">Whether the answer is logged here (the actions) or by the caller (the reconciler's GET).</param>
    private async Task<GraphResult> SendAsync(
        string callId, string action, DateTimeOffset deadline,
        Func<ResponseHandlerOption, CancellationToken, Task> send, CancellationToken ct, TimeSpan? margin = null, bool logOutcome = true)
    {
        if (graphOptions.Value.DryRun) return GraphResult.NotSent;

        var kept = margin ?? TimeSpan.FromSeconds(callsOptions.Value.DeadlineMarginSeconds);
        for (var attempt = 1; ; attempt++)
        {
            var native = new NativeResponseHandler();
            int status;
            TimeSpan? retryAfter = null;
            var started = clock.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(Remaining(deadline, TimeSpan.FromSeconds(1)));
                await send(new ResponseHandlerOption { ResponseHandler = native }, timeout.Token);
                using var response = (HttpResponseMessage)native.Value!;
                status = (int)response.StatusCode;
                retryAfter = RetryAfter(response);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                Log.GraphUnreachable(logger, e, action, callId, attempt);
                status = 0;
            }

            metrics.GraphRequest(action, status, clock.GetElapsedTime(started));
            var result = new GraphResult(status, attempt);
            if (result.Succeeded || result.CallGone || !IsTransient(status) || attempt == MaxAttempts)
                return logOutcome ? Logged(result, callId, action) : result;

            var delay = retryAfter ?? Backoff(attempt);
            if (clock.GetUtcNow() + delay + kept > deadline)
            {
                if (!logOutcome) return result;
                Log.NoTimeToRetry(logger, action, callId, status, attempt);
                return Logged(result, callId, action);
            }
            Log.Retrying(logger, action, callId, status, delay.TotalMilliseconds, attempt);
            await Task.Delay(delay, clock, ct);
        }
    }

    private GraphResult Logged(GraphResult result, string callId, string action)
    {
        if (result.Succeeded) Log.GraphDone(logger, action, callId, result.Status, result.Attempts);
        else if (result.CallGone) Log.CallGone(logger, action, callId);
        else if (result.Status is 401 or 403) Log.GraphDenied(logger, action, callId, result.Status, Requests.Permission(action));
        else Log.GraphFailed(logger, action, callId, result.Status, result.Attempts);
        return result;
    }

    private TimeSpan Remaining(DateTimeOffset deadline, TimeSpan floor)
    {
        var left = deadline - clock.GetUtcNow();
        return left < floor ? floor : left;
    }

    private static bool IsTransient(int status) => status is 0 or 429 or 500 or 502 or 503 or 504;

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
            return null;
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// Whether a call still exists: <c>GET /communications/calls/{id}</c> answers 200 while it does and 404 once it has
    /// ended. 429, 503 and the other transient answers are retried, honouring Retry-After, while the caller's
    /// <paramref name="budget"/> allows; what comes back then is the last answer, never a 404 Graph did not give. The
    /// answer's body (the call) is not needed: the handler keeps the response, and the SDK parses nothing. Its outcome is
    /// the reconciler's to log.
    /// </summary>
    public Task<GraphResult> GetCallAsync(string callId, DateTimeOffset budget, CancellationToken ct) =>
        SendAsync(callId, Requests.Get, budget,
            (handler, token) => graph.Communications.Calls[callId].GetAsync(c => c.Options.Add(handler), token),
            ct, margin: TimeSpan.Zero, logOutcome: false);
}
