using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CallFunctions.Notifications;

/// <summary>Checks what a notification request declares and reads its body, within bounds of size and time.</summary>
internal static class RequestBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The Functions host forwards a body it already holds; a body still arriving after this is a stalling client.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// JSON as Graph sends it: <c>application/json</c>, with no charset or UTF-8 (JSON on the wire is UTF-8). A request
    /// without a Content-Type is refused too: Graph always sends one, so its absence means another sender.
    /// </summary>
    public static ProblemHttpResult? CheckContentType(HttpRequest request)
    {
        var declared = request.ContentType;
        if (MediaTypeHeaderValue.TryParse(declared, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (StringSegment.IsNullOrEmpty(type.Charset)
                || string.Equals(type.Charset.Value!.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase)))
            return null;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type",
            detail: string.IsNullOrWhiteSpace(declared)
                ? "The request has no Content-Type: notifications are sent as application/json."
                : $"Notifications are sent as application/json (UTF-8), not \"{Shorten(declared)}\".");
    }

    /// <summary>Reads the whole body, or answers 413 once it passes <see cref="MaxBytes"/>, or 408 when it is too slow.</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return (default, TooLarge());
        var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return (default, TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (default, TooSlow());
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits: data arriving slower than its minimum rate (408), or a malformed chunked body.
            return (default, TypedResults.Problem(statusCode: e.StatusCode, title: "Unreadable request body", detail: "The request body could not be read."));
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Notification too large",
        detail: $"The request body is larger than {MaxBytes} bytes.");

    private static ProblemHttpResult TooSlow() => TypedResults.Problem(
        statusCode: StatusCodes.Status408RequestTimeout,
        title: "Request body too slow",
        detail: $"The request body did not arrive within {ReadTimeout.TotalSeconds} seconds.");
}
