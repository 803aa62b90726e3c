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

    /// <summary>Participation, then the indicators every operation collects.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; private set; } = [];

    /// <summary>Indicators some operations do not collect, with the operations that lack them.</summary>
    public IReadOnlyList<MissingIndicator> Missing { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Operations = (await AllOperations.LoadAsync(reader, cache, cancellationToken)).Reverse().ToList();
        var comparison = OperationComparison.Compare(Operations);
        Rows = comparison.Rows;
        Missing = comparison.Missing;
    }

    /// <summary>An operation's name from its code, as the column headings show it.</summary>
    public string NameOf(string code) => Operations.FirstOrDefault(a => a.Operation.Code == code)?.Operation.Name ?? code;
}
