using Liberterra.Core.Aggregation;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Operations;

/// <summary>Who has reported and who has not, with each participant's last return, by region.</summary>
public sealed class CompletenessModel(AggregateCache cache) : PageModel
{
    public OperationAggregate Aggregate { get; private set; } = null!;

    /// <summary>Participants, those yet to report first, then the longest silent.</summary>
    public IReadOnlyList<CountryAggregate> Participants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return new ResultAction(ApiProblems.OperationNotFound(code));
        }

        Aggregate = aggregate;
        Participants = aggregate.Countries.Where(c => c.IsParticipant)
            .OrderBy(c => c.HasReported)
            .ThenBy(c => c.LastUpdated)
            .ThenBy(c => c.Country.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Page();
    }
}
