using Azure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallFunctions.Platform;

/// <summary>
/// The one policy for Table Storage failures. A call never waits on storage: when it cannot answer, reading a call's
/// record decides on the notification alone, a claim lets the action go ahead (a second reject is harmless, a missed
/// deadline is not), and a record is held on local disk until storage takes it. Only a record that can be neither
/// stored nor held fails its notification (503, so Graph delivers it again); an operator's read answers 503.
/// </summary>
public static class StorageFailure
{
    /// <summary>
    /// Table Storage cannot answer now (down, throttling, timing out), as opposed to refusing the request.
    /// After its own retries the SDK reports the attempts together in an <see cref="AggregateException"/>.
    /// </summary>
    public static bool IsUnavailable(Exception e, CancellationToken ct) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        OperationCanceledException => !ct.IsCancellationRequested,
        HttpRequestException or TimeoutException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => IsUnavailable(i, ct)),
        _ => false,
    };

    /// <summary>
    /// Any failure to read or write a record: storage unavailable, a request it refused (a wrong key, a missing
    /// permission), or the local disk that holds records while storage is down.
    /// </summary>
    public static bool IsFailure(Exception e, CancellationToken ct) =>
        e is RequestFailedException or IOException or UnauthorizedAccessException || IsUnavailable(e, ct);

    /// <summary>
    /// The one answer of every route that storage failed: 503 with <c>Retry-After</c>, which Graph honours by delivering
    /// again and an operator's script can honour too. <paramref name="extensions"/> carries what the route adds (the
    /// webhook's items).
    /// </summary>
    public static ProblemHttpResult Answer(HttpResponse response, IDictionary<string, object?>? extensions = null)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
            detail: AnswerDetail, extensions: extensions);
    }

    public const int RetryAfterSeconds = 5;
    public const string AnswerDetail = "Table Storage could not be read or written; send the request again.";
}
