using System.Diagnostics;
using CallFunctions.Calls;
using CallFunctions.Notifications;
using CallFunctions.Screening;
using CallFunctions.Platform;

namespace CallFunctions.Webhook;

/// <summary>
/// The work of one batch, item after item, each in its own log scope and span: a bad item does not stop the others,
/// and what cannot be stored nor held fails its item only.
/// </summary>
public sealed class BatchWork(CallScreener screener, CallMetrics metrics, ILogger<BatchWork> logger)
{
    /// <summary>Fills <paramref name="reports"/> as items finish, so an answer given before the end shows what is done.</summary>
    public async Task RunAsync(IReadOnlyList<Item> items, ItemReport?[] reports, bool terminationsOnly, DateTimeOffset receivedAt, string? chainId)
    {
        // In order: two notifications of one call in one batch (established, then terminated) keep their sequence.
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var call = (item as Item.Call)?.Event;
            using var scope = logger.BeginScope(new Dictionary<string, object?>
            {
                ["CallId"] = call?.CallId,
                ["ChainId"] = chainId ?? call?.ChainId,
            });
            using var activity = metrics.Traces.StartActivity("notification");
            activity?.SetTag("call.id", call?.CallId);
            activity?.SetTag("call.chain_id", chainId);
            var report = await HandleAsync(item, terminationsOnly, receivedAt);
            activity?.SetTag("call.outcome", CamelCaseEnum<ItemOutcome>.Name(report.Outcome));
            if (report.Rule is not null) activity?.SetTag("call.rule", report.Rule);
            if (report.Outcome is ItemOutcome.Failed or ItemOutcome.Invalid) activity?.SetStatus(ActivityStatusCode.Error, report.Error);
            Volatile.Write(ref reports[i], report);
        }
    }

    private async Task<ItemReport> HandleAsync(Item item, bool terminationsOnly, DateTimeOffset receivedAt)
    {
        switch (item)
        {
            case Item.Bad bad:
                Log.BadItem(logger, bad.Index, bad.Error);
                return new ItemReport(bad.Index, null, ItemOutcome.Invalid, Error: bad.Error);
            case Item.Ignored ignored:
                return new ItemReport(ignored.Index, null, ItemOutcome.Ignored);
            case Item.Call { Event: var call } when terminationsOnly && !call.IsTermination:
                return new ItemReport(item.Index, call.CallId, ItemOutcome.Ignored);
            case Item.Call { Event: var call }:
                return await ScreenAsync(item.Index, call, receivedAt);
            default:
                throw new InvalidOperationException("Unknown item.");
        }
    }

    private async Task<ItemReport> ScreenAsync(int index, CallEvent call, DateTimeOffset receivedAt)
    {
        try
        {
            return ItemReport.Of(index, call.CallId, await screener.HandleAsync(call, receivedAt, CancellationToken.None));
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, CancellationToken.None))
        {
            Log.StorageFailed(logger, e, call.CallId);
            return new ItemReport(index, call.CallId, ItemOutcome.Failed, Error: "Storage unavailable.");
        }
    }
}
