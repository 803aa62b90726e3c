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
        if (await reader.LatestCodeAsync(cancellationToken) is { } code)
        {
            Latest = await cache.GetAsync(code, cancellationToken);
        }
    }
}
