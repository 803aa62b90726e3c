using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Operations;

/// <summary>One country in one operation: its figures, each period's return, every version of each, and any flags.</summary>
public sealed class CountryModel(AggregateCache cache, OperationReader reader) : PageModel
{
    public OperationAggregate Aggregate { get; private set; } = null!;

    public CountryAggregate Country { get; private set; } = null!;

    /// <summary>The country's current returns, days first in date order, then any whole-operation return.</summary>
    public IReadOnlyList<ReturnRecord> Returns { get; private set; } = [];

    public IReadOnlyList<ReturnFlag> Flags { get; private set; } = [];

    public const int HistoryLimit = 200;

    /// <summary>The newest <see cref="HistoryLimit"/> versions, newest first; the API pages through the rest.</summary>
    public IReadOnlyList<ReturnVersionRecord> Versions { get; private set; } = [];

    public int TotalVersions { get; private set; }

    public ReturnRecord ReturnOf(ReturnVersionRecord version) => Returns.First(r => r.Id == version.ReturnId);

    public async Task<IActionResult> OnGetAsync(string code, string iso3, CancellationToken cancellationToken)
    {
        if (!CountryCode.TryNormalize(iso3, out var alpha3))
        {
            return new ResultAction(ApiProblems.BadCountryCode("country"));
        }

        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return new ResultAction(ApiProblems.OperationNotFound(code));
        }

        if (aggregate.Countries.FirstOrDefault(c => c.Country.Alpha3 == alpha3) is not { } country)
        {
            return new ResultAction(TypedResults.Problem(
                title: "Country not found", detail: $"{alpha3} does not take part in operation '{code}'.", statusCode: StatusCodes.Status404NotFound));
        }

        Aggregate = aggregate;
        Country = country;
        var history = await reader.CountryHistoryAsync(code, country.Country.Alpha3, HistoryLimit, cancellationToken);
        Returns = history.Returns.OrderBy(r => r.Period.Date ?? DateOnly.MaxValue).ToList();
        Versions = history.NewestVersions;
        TotalVersions = history.TotalVersions;
        Flags = ReturnFlags.For(aggregate.Operation.DataSet, Returns.Select(r => r.ToDomain()).ToList());
        return Page();
    }
}
