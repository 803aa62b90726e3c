namespace Liberterra.Core.Returns;

/// <summary>
/// A flow is counted once per event and adds up over days and countries; a stock (officers deployed)
/// is a level at a point in time, so a country's days are combined by maximum, never summed.
/// </summary>
public enum MetricKind
{
    Flow,
    Stock,
}

/// <summary>One metric: its position, its field name in JSON and CSV, how it aggregates, and how to read it from a return.</summary>
public sealed record MetricDefinition(int Index, string Name, MetricKind Kind, Func<ReturnMetrics, int?> Read);

/// <summary>Every metric a return can carry, in one ordered list that aggregation, CSV and diffs all share.</summary>
public static class MetricCatalog
{
    public const int MaxValue = 1_000_000;

    public static MetricDefinition Arrests { get; } = new(0, "arrests", MetricKind.Flow, m => m.Arrests);
    public static MetricDefinition ArrestsTraffickingSmuggling { get; } = new(1, "arrestsTraffickingSmuggling", MetricKind.Flow, m => m.ArrestsTraffickingSmuggling);
    public static MetricDefinition VictimsSafeguarded { get; } = new(2, "victimsSafeguarded", MetricKind.Flow, m => m.VictimsSafeguarded);
    public static MetricDefinition VictimsMinors { get; } = new(3, "victimsMinors", MetricKind.Flow, m => m.VictimsMinors);
    public static MetricDefinition Sexual { get; } = new(4, "victimsByExploitation.sexual", MetricKind.Flow, m => m.VictimsByExploitation.Sexual);
    public static MetricDefinition ForcedLabour { get; } = new(5, "victimsByExploitation.forcedLabour", MetricKind.Flow, m => m.VictimsByExploitation.ForcedLabour);
    public static MetricDefinition ForcedCriminality { get; } = new(6, "victimsByExploitation.forcedCriminality", MetricKind.Flow, m => m.VictimsByExploitation.ForcedCriminality);
    public static MetricDefinition DomesticServitude { get; } = new(7, "victimsByExploitation.domesticServitude", MetricKind.Flow, m => m.VictimsByExploitation.DomesticServitude);
    public static MetricDefinition OrganRemoval { get; } = new(8, "victimsByExploitation.organRemoval", MetricKind.Flow, m => m.VictimsByExploitation.OrganRemoval);
    public static MetricDefinition Other { get; } = new(9, "victimsByExploitation.other", MetricKind.Flow, m => m.VictimsByExploitation.Other);
    public static MetricDefinition IrregularMigrants { get; } = new(10, "irregularMigrants", MetricKind.Flow, m => m.IrregularMigrants);
    public static MetricDefinition InvestigationsOpened { get; } = new(11, "investigationsOpened", MetricKind.Flow, m => m.InvestigationsOpened);
    public static MetricDefinition OfficersDeployed { get; } = new(12, "officersDeployed", MetricKind.Stock, m => m.OfficersDeployed);

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        Arrests, ArrestsTraffickingSmuggling, VictimsSafeguarded, VictimsMinors,
        Sexual, ForcedLabour, ForcedCriminality, DomesticServitude, OrganRemoval, Other,
        IrregularMigrants, InvestigationsOpened, OfficersDeployed,
    ];

    public static IReadOnlyList<MetricDefinition> Exploitation { get; } = [Sexual, ForcedLabour, ForcedCriminality, DomesticServitude, OrganRemoval, Other];

    /// <summary>Builds a return from values indexed like <see cref="All"/>.</summary>
    public static ReturnMetrics FromValues(IReadOnlyList<int?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != All.Count)
        {
            throw new ArgumentException($"Expected {All.Count} values, got {values.Count}.", nameof(values));
        }

        return new ReturnMetrics
        {
            Arrests = values[Arrests.Index],
            ArrestsTraffickingSmuggling = values[ArrestsTraffickingSmuggling.Index],
            VictimsSafeguarded = values[VictimsSafeguarded.Index],
            VictimsMinors = values[VictimsMinors.Index],
            VictimsByExploitation = new ExploitationBreakdown
            {
                Sexual = values[Sexual.Index],
                ForcedLabour = values[ForcedLabour.Index],
                ForcedCriminality = values[ForcedCriminality.Index],
                DomesticServitude = values[DomesticServitude.Index],
                OrganRemoval = values[OrganRemoval.Index],
                Other = values[Other.Index],
            },
            IrregularMigrants = values[IrregularMigrants.Index],
            InvestigationsOpened = values[InvestigationsOpened.Index],
            OfficersDeployed = values[OfficersDeployed.Index],
        };
    }
}
