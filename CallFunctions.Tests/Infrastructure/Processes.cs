using System.Globalization;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>What Linux's /proc says of a process: its children (the host's worker) and the connections it accepted.</summary>
public static class Processes
{
    /// <summary>Every process under <paramref name="root"/>, alive now.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // After the command name in parentheses: state, then the parent's id.
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
            foreach (var (pid, ppid) in parents)
                if (ppid == parent)
                {
                    found.Add(pid);
                    queue.Enqueue(pid);
                }
        return found;
    }

    /// <summary>The process under <paramref name="root"/> whose command line names <paramref name="assembly"/>.</summary>
    public static int? Find(int root, string assembly) =>
        Descendants(root).Cast<int?>().FirstOrDefault(pid => CommandLine(pid!.Value).Any(w => w.Contains(assembly, StringComparison.Ordinal)));

    /// <summary>
    /// Open TCP connections that <paramref name="pid"/> accepted on its listening ports (for the worker: the host's
    /// connections to its Kestrel), from <c>/proc/&lt;pid&gt;/net/tcp</c> and <c>tcp6</c> and the process's sockets.
    /// </summary>
    public static int AcceptedConnections(int pid)
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    sockets.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }
        // Columns: sl, local address:port (hex), remote, state (0A listening, 01 established), …, inode (the tenth).
        var rows = new[] { "tcp", "tcp6" }
            .SelectMany(file => File.ReadLines($"/proc/{pid}/net/{file}").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length > 9 && sockets.Contains(c[9]))
            .Select(c => (Port: c[1][(c[1].LastIndexOf(':') + 1)..], State: c[3]))
            .ToList();
        var listening = rows.Where(r => r.State == "0A").Select(r => r.Port).ToHashSet(StringComparer.Ordinal);
        return rows.Count(r => r.State == "01" && listening.Contains(r.Port));
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
