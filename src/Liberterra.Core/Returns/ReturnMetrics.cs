namespace Liberterra.Core.Returns;

/// <summary>
/// One return's figures. Every metric is nullable: null is "not reported", 0 is "reported zero",
/// and the two stay distinct all the way to the totals.
/// </summary>
public sealed record ReturnMetrics
{
    public static ReturnMetrics NotReported { get; } = new();

    public int? Arrests { get; init; }
    public int? ArrestsTraffickingSmuggling { get; init; }
    public int? VictimsSafeguarded { get; init; }
    public int? VictimsMinors { get; init; }
    public ExploitationBreakdown VictimsByExploitation { get; init; } = ExploitationBreakdown.NotReported;
    public int? IrregularMigrants { get; init; }
    public int? InvestigationsOpened { get; init; }
    public int? OfficersDeployed { get; init; }

    public bool IsAnyReported => MetricCatalog.All.Any(metric => metric.Read(this) is not null);
}
