using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.Infrastructure;

/// <param name="Exception">The exception as the log shows it (its type, message and stack), or null.</param>
public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, string? Exception,
    IReadOnlyDictionary<string, object?> Scope);

/// <summary>
/// Every line a Functions host prints, as an operator would read it. The host prints JSON lines; the lines its worker
/// writes come relayed under <c>Host.Function.Console</c> and are read with their own category and event id.
/// </summary>
public sealed class LogCapture
{
    private const string WorkerConsole = "Host.Function.Console";

    private readonly ConcurrentQueue<LogLine> _lines = new();
    private readonly ConcurrentQueue<string> _raw = new();

    /// <summary>
    /// Every line, the host's and the worker's (since <see cref="Mark"/>), once the host has printed nothing new for
    /// half a second (at most 5 s): the worker's lines reach the test through the host, a moment after they were written.
    /// </summary>
    public IReadOnlyList<LogLine> Lines
    {
        get
        {
            var until = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow - new DateTime(Volatile.Read(ref _lastLineTicks), DateTimeKind.Utc) < Quiet && DateTime.UtcNow < until)
                Thread.Sleep(50);
            return [.. _lines.Skip(_mark)];
        }
    }

    /// <summary>
    /// The lines matching <paramref name="match"/>, once one has arrived (at most 15 s) and the host has gone quiet: for
    /// a line the worker wrote while serving a request, which reaches the test after the answer does.
    /// </summary>
    public async Task<IReadOnlyList<LogLine>> MatchingAsync(Func<LogLine, bool> match)
    {
        for (var i = 0; i < 150 && !_lines.Skip(_mark).Any(match); i++) await Task.Delay(100);
        return [.. Lines.Where(match)];
    }

    /// <summary>Waits until at least <paramref name="count"/> lines since <see cref="Mark"/> match (at most <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<LogLine>> CountAsync(Func<LogLine, bool> match, int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (_lines.Skip(_mark).Count(match) < count && DateTime.UtcNow < until) await Task.Delay(100);
        return [.. _lines.Skip(_mark).Where(match)];
    }

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private long _lastLineTicks = DateTime.UtcNow.Ticks;

    private int _mark;

    /// <summary>From now on, <see cref="Lines"/> holds only what comes next: the host serves another test.</summary>
    public void Mark() => _mark = _lines.Count;

    /// <summary>What the host printed, as it printed it.</summary>
    public string Text => string.Join('\n', _raw);

    public async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _raw.Enqueue(line);
            Volatile.Write(ref _lastLineTicks, DateTime.UtcNow.Ticks);
            if (Parse(line) is { } parsed) _lines.Enqueue(parsed);
        }
    }

    private static LogLine? Parse(string line)
    {
        if (!line.StartsWith('{')) return new LogLine("Host.Console", LogLevel.Information, 0, line, null, new Dictionary<string, object?>());
        try
        {
            using var json = JsonDocument.Parse(line);
            var entry = Read(json.RootElement);
            if (entry.Category == WorkerConsole && entry.Message.StartsWith('{'))
            {
                using var inner = JsonDocument.Parse(entry.Message);
                return Read(inner.RootElement);
            }
            return entry;
        }
        catch (JsonException)
        {
            return new LogLine("Host.Console", LogLevel.Information, 0, line, null, new Dictionary<string, object?>());
        }
    }

    private static LogLine Read(JsonElement entry)
    {
        var scope = new Dictionary<string, object?>();
        if (entry.TryGetProperty("Scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array)
            foreach (var item in scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
                foreach (var property in item.EnumerateObject())
                    scope[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.ToString();
        return new LogLine(
            Field(entry, "Category") ?? "",
            Enum.TryParse<LogLevel>(Field(entry, "LogLevel"), out var level) ? level : LogLevel.Information,
            entry.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : 0,
            Field(entry, "Message") ?? "",
            Field(entry, "Exception"),
            scope);
    }

    private static string? Field(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in _lines) text.Append(line.Category).Append(' ').Append(line.EventId).Append(": ").AppendLine(line.Message);
        return text.ToString();
    }
}
