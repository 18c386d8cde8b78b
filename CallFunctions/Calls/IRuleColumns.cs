namespace CallFunctions.Calls;

/// <summary>
/// A rules-table row's columns, as an action's declaration reads what its rules carry (<see
/// cref="ActionDeclaration.ReadPayload"/>): typed reads that tolerate what people type in Storage Explorer, and errors
/// that name the column, so the row is skipped and <c>rules validate</c> says why.
/// </summary>
public interface IRuleColumns
{
    /// <summary>A String column's text; null when absent or blank.</summary>
    string? String(string column);

    int? Int(string column);

    /// <summary>One of the enum's names, any case; null when absent or blank.</summary>
    T? Enum<T>(string column) where T : struct, Enum;

    /// <summary>The column's value as written, for a message.</summary>
    string? Text(string column);

    /// <summary>The column's text parsed; a <see cref="FormatException"/> of <paramref name="parse"/> becomes the column's error.</summary>
    T Parsed<T>(string column, string text, Func<string, T> parse);

    /// <summary>The error that skips the row, naming the column, its value and why.</summary>
    Exception Bad(string column, string? value, string why);
}
