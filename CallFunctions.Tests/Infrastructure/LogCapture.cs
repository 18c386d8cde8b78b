using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.Infrastructure;

public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, Exception? Exception,
    IReadOnlyDictionary<string, object?> Scope);

/// <summary>Keeps every log line the handler writes, with its scopes, so a test can read what an operator would see.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            capture._scopes.ForEachScope((value, bag) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, item) in pairs) bag[key] = item;
            }, scope);
            capture._lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception), exception, scope));
        }
    }
}
