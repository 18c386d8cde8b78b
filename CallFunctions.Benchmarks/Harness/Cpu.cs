using System.Globalization;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>CPU time of processes from /proc, to tell which one bounds a run.</summary>
public static class Cpu
{
    private const double TicksPerSecond = 100;

    /// <summary>User and system CPU seconds the process has used so far.</summary>
    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name in parentheses: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The processes whose command line holds all of <paramref name="parts"/> (e.g. Azurite's port).</summary>
    public static int[] Find(params string[] parts)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var words = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (parts.All(p => words.Contains(p))) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }
        return [.. found];
    }
}
