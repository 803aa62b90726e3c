using Liberterra.Core.Aggregation;
using Liberterra.Data;
using Liberterra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages;

/// <summary>The home page: the latest operation's headline totals. The full dashboard is its own feature.</summary>
public sealed class IndexModel(OperationReader reader, AggregateCache cache) : PageModel
{
    public OperationAggregate? Latest { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var operations = await reader.ListAsync(cancellationToken);
        if (operations.Count > 0)
        {
            Latest = await cache.GetAsync(operations[0].Code, cancellationToken);
        }
    }
}
