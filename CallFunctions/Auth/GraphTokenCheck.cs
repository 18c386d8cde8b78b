using Microsoft.Extensions.Options;

namespace CallFunctions.Auth;

/// <summary>
/// Runs first in a Graph webhook: a request without a valid token from Microsoft is answered 401 (or 403 for a tenant
/// not allowed) before its body is read, so a stranger who finds the URL cannot reject or hang up calls.
/// </summary>
public sealed class GraphTokenCheck(GraphTokens tokens, IOptions<AuthOptions> options, ILogger<GraphTokenCheck> logger)
{
    /// <summary>The answer refusing the request, or null when it may go on.</summary>
    public async Task<IResult?> RefuseAsync(HttpRequest request)
    {
        if (!options.Value.Enabled) return null;

        // The path only: the query may hold a function key.
        var path = request.Path.Value ?? "";
        switch (await tokens.CheckAsync(request.Headers.Authorization.ToString(), request.HttpContext.RequestAborted))
        {
            case TokenCheck.Valid:
                return null;
            case TokenCheck.Refused refused:
                Log.Unauthenticated(logger, path, refused.Reason);
                request.HttpContext.Response.Headers.WWWAuthenticate = refused.Missing ? "Bearer" : "Bearer error=\"invalid_token\"";
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized",
                    detail: refused.Missing
                        ? "The request has no bearer token: only Microsoft Graph may send notifications here."
                        : "The request's bearer token is not a valid token from Microsoft Graph for this bot.");
            case TokenCheck.TenantNotAllowed denied:
                Log.TenantRefused(logger, path, denied.TenantId);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden",
                    detail: "The token's tenant is not allowed to send notifications to this bot.");
            default:
                // Graph delivers again after a 5xx; the keys may be readable by then.
                Log.NoKeys(logger, path);
                request.HttpContext.Response.Headers.RetryAfter = "10";
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Signing keys unavailable",
                    detail: "The token cannot be checked now; send the notification again.");
        }
    }
}
