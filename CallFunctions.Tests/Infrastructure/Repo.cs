namespace CallFunctions.Tests.Infrastructure;

internal static class Repo
{
    /// <summary>The repository root: the folder holding CallFunctions.sln.</summary>
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("CallFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
