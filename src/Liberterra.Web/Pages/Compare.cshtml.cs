using Liberterra.Core.Aggregation;
using Liberterra.Core.Reporting;
using Liberterra.Data;
using Liberterra.Web.Caching;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages;

/// <summary>Every operation side by side, oldest first, with the change from each one to the next.</summary>
public sealed class CompareModel(OperationReader reader, AggregateCache cache) : PageModel
{
    public IReadOnlyList<OperationAggregate> Operations { get; private set; } = [];

    public IReadOnlyList<ComparisonRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Operations = (await AllOperations.LoadAsync(reader, cache, cancellationToken)).Reverse().ToList();
        Rows = OperationComparison.Compare(Operations);
    }
}
