using Liberterra.Core.Aggregation;
using Liberterra.Core.Reporting;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Operations;

/// <summary>Headline sentences for a press release, from the exact totals with one stated rounding rule.</summary>
public sealed class PressModel(AggregateCache cache) : PageModel
{
    public OperationAggregate Aggregate { get; private set; } = null!;

    public IReadOnlyList<string> Sentences { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return new ResultAction(ApiProblems.OperationNotFound(code));
        }

        Aggregate = aggregate;
        Sentences = PressSummary.Sentences(aggregate);
        return Page();
    }
}
