namespace CallFunctions.Graph;

/// <summary>How a Graph action went: the last HTTP status (0 when no answer came), and how many requests it took.</summary>
public sealed record GraphResult(int Status, int Attempts, bool DryRun = false)
{
    public static GraphResult NotSent { get; } = new(0, 0, DryRun: true);

    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>404: the call was already gone, so there is nothing left to do.</summary>
    public bool CallGone => Status == 404;

    /// <summary>Graph was asked and did not take it, and the call is not gone: a later delivery may ask again (its claim goes back).</summary>
    public bool Failed => !Succeeded && !CallGone && !DryRun;
}
