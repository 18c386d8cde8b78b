namespace CallFunctions.Auth;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Refused a request to {Path} (401): {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string path, string reason);

    [LoggerMessage(5002, LogLevel.Warning, "Refused a request to {Path} (403): tenant {TenantId} is not in Auth__AllowedTenants")]
    public static partial void TenantRefused(ILogger logger, string path, string tenantId);

    [LoggerMessage(5003, LogLevel.Warning,
        "Notifications are NOT authenticated (Auth__Enabled=false): anyone who can reach the webhook can reject and hang up calls. Use this for a local run only")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(5004, LogLevel.Information, "Read {Count} signing key(s) from {Address}")]
    public static partial void KeysRead(ILogger logger, int count, Uri address);

    [LoggerMessage(5005, LogLevel.Error, "Could not read the signing keys from {Address}")]
    public static partial void KeysFailed(ILogger logger, Exception exception, Uri address);

    [LoggerMessage(5006, LogLevel.Error, "Refused a request to {Path} (503): no signing keys to check its token with")]
    public static partial void NoKeys(ILogger logger, string path);
}
