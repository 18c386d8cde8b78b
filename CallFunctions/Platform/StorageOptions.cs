using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;

namespace CallFunctions.Platform;

/// <summary>
/// AzureWebJobsStorage as the Functions host reads it: a connection string, or identity-based
/// (<c>AzureWebJobsStorage__tableServiceUri</c> or <c>__accountName</c>, with a managed identity).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public string? AccountName { get; set; }

    /// <summary><c>AzureWebJobsStorage__queueServiceUri</c>: the queue of challenge timeouts, when identity-based.</summary>
    public Uri? QueueServiceUri { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null && string.IsNullOrWhiteSpace(AccountName))
        {
            yield return new ValidationResult(
                "AzureWebJobsStorage is required: a storage connection string (UseDevelopmentStorage=true for Azurite), " +
                "or AzureWebJobsStorage__tableServiceUri / AzureWebJobsStorage__accountName with a managed identity.");
            yield break;
        }
        if (!string.IsNullOrWhiteSpace(ConnectionString) && !IsConnectionString(ConnectionString))
            yield return new ValidationResult("AzureWebJobsStorage is not a valid storage connection string.");
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new TableServiceClient(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
