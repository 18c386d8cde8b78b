using Azure;

namespace CallFunctions.Storage;

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
}
