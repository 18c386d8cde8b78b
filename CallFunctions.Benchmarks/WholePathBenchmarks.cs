using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using CallFunctions.Auth;
using CallFunctions.Graph;
using CallFunctions.Platform;
using CallFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CallFunctions.Benchmarks;

/// <summary>
/// The webhook function's whole path for one ringing call a rule rejects, in process: Graph's token checked, the body
/// read and parsed, the rules, the claim, the reject, the record and its index entry, the 202's body written. The app's
/// own services as the worker registers them (<c>AddCallFunctions</c>, <c>AddWebhookWork</c>), its appsettings.json log
/// levels, and the real Azure SDK and Graph SDK clients, whose HTTP ends in a stub handler instead of a socket. A log
/// provider formats every line it is given with its scopes, as the worker's relay to the host does.
/// </summary>
[MemoryDiagnoser]
public class WholePathBenchmarks
{
    private const string CallerRule = """{"PartitionKey":"default","RowKey":"block-test-number","Priority":20,"Action":"Reject","Reason":"Busy","Caller":"+1 425-555-0123"}""";

    private IHost _host = null!;
    private GraphTokenCheck _token = null!;
    private WebhookHandler _batch = null!;
    private OpenIdStandIn _identity = null!;
    private byte[] _body = [];
    private string _authorization = "";

    [GlobalSetup]
    public void Setup()
    {
        _identity = OpenIdStandIn.StartAsync().GetAwaiter().GetResult();
        _authorization = "Bearer " + _identity.Token();
        _body = File.ReadAllBytes(Repo.Path("samples", "incoming-pstn.json"));

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Repo.Path("CallFunctions", "appsettings.json"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            ["Graph:BaseUrl"] = "http://127.0.0.1:2/v1.0",
            ["Graph:ClientId"] = OpenIdStandIn.AppId,
            ["Auth:OpenIdConfiguration"] = _identity.ConfigurationUrl,
            ["Calls:CallbackUri"] = "https://bot.example.com/api/calls",
            ["Rules:Table"] = "Rules",
            ["Rules:RefreshSeconds"] = "30",
            ["Outcomes:Table"] = "Outcomes",
            ["Outcomes:SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-wholepath", Guid.NewGuid().ToString("N")),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FormattingLoggerProvider());
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Services.AddCallFunctions(builder.Configuration);
        builder.Services.AddWebhookWork();

        // The same clients the app builds, their HTTP ending in the stubs: the last registration wins.
        var tableOptions = StorageSetup.ClientOptions();
        tableOptions.Transport = new HttpClientTransport(new StorageStub(CallerRule));
        builder.Services.AddSingleton(new TableServiceClient(builder.Configuration["AzureWebJobsStorage"], tableOptions));
        builder.Services.AddSingleton(new GraphServiceClient(GraphSetup.GraphHttp(new GraphStub()),
            new AnonymousAuthenticationProvider(), "http://127.0.0.1:2/v1.0"));

        _host = builder.Build();
        _token = _host.Services.GetRequiredService<GraphTokenCheck>();
        _batch = _host.Services.GetRequiredService<WebhookHandler>();
        if (RejectAsync().GetAwaiter().GetResult() != StatusCodes.Status202Accepted) throw new InvalidOperationException("The sample call must be answered 202.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        _identity.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "a ringing call rejected: token, parse, decide, claim, reject, record, 202")]
    public async Task<int> RejectAsync()
    {
        var http = new DefaultHttpContext { RequestServices = _host.Services };
        http.Request.Method = "POST";
        http.Request.Path = "/api/calls";
        http.Request.ContentType = "application/json";
        http.Request.Headers.Authorization = _authorization;
        http.Request.Body = new MemoryStream(_body, writable: false);
        http.Request.ContentLength = _body.Length;
        http.Response.Body = Stream.Null;
        var result = await _token.RefuseAsync(http.Request) ?? await _batch.HandleAsync(http, terminationsOnly: false, CancellationToken.None);
        await result.ExecuteAsync(http);
        return http.Response.StatusCode;
    }

    /// <summary>Table Storage's answers: the rules for a query of the rules table, 204 for an insert or a merge.</summary>
    private sealed class StorageStub(string rule) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = request.Method == HttpMethod.Get
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("{\"value\":[" + rule + "]}", Encoding.UTF8, "application/json"),
                }
                : new HttpResponseMessage(HttpStatusCode.NoContent);
            answer.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"datetime'2026-03-10T10%3A30%3A00.0000000Z'\"", isWeak: true);
            return Task.FromResult(answer);
        }
    }

    /// <summary>Graph's answer to a reject: 202, no body.</summary>
    private sealed class GraphStub : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ByteArrayContent([]) });
    }

    /// <summary>Formats each line and walks its scopes, the work the worker's relay of a line to the host starts with.</summary>
    private sealed class FormattingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new Formatting(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Formatting(FormattingLoggerProvider provider) : ILogger
        {
            public static int Length;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder(formatter(state, exception));
                provider._scopes.ForEachScope((scope, b) => b.Append(' ').Append(scope), text);
                if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
                    foreach (var (key, value) in values) text.Append(' ').Append(key).Append('=').Append(value);
                Length += text.Length;
            }
        }
    }
}
