using Azure;

namespace CallFunctions.Storage;

public static class StorageErrors
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
}
