using Liberterra.Core.Aggregation;
using Liberterra.Data;
using Liberterra.Web.Caching;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages;

/// <summary>For every operation, the computed totals against the figures its organisers published.</summary>
public sealed class ReconciliationModel(OperationReader reader, AggregateCache cache) : PageModel
{
    /// <summary>Newest operation first, as in the operations list.</summary>
    public IReadOnlyList<OperationAggregate> Operations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Operations = await AllOperations.LoadAsync(reader, cache, cancellationToken);
}

/// <summary>Every operation's roll-up, newest first: what the reconciliation and comparison pages both start from.</summary>
internal static class AllOperations
{
    public static async Task<IReadOnlyList<OperationAggregate>> LoadAsync(OperationReader reader, AggregateCache cache, CancellationToken cancellationToken)
    {
        var aggregates = new List<OperationAggregate>();
        foreach (var operation in await reader.ListAsync(cancellationToken))
        {
            if (await cache.GetAsync(operation.Code, cancellationToken) is { } aggregate)
            {
                aggregates.Add(aggregate);
            }
        }

        return aggregates;
    }
}
