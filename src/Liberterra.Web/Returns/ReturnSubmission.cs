using Liberterra.Core.Returns;

namespace Liberterra.Web.Returns;

/// <summary>A return as a client sends it. Every metric is optional: leave it out or send null for "not reported".</summary>
public sealed record ReturnSubmission
{
    /// <summary>ISO 3166-1 alpha-3 code.</summary>
    public string? Country { get; init; }

    /// <summary>A day (yyyy-MM-dd) inside the operation's window, or null for a whole-operation return.</summary>
    public string? Date { get; init; }

    public int? Arrests { get; init; }
    public int? ArrestsTraffickingSmuggling { get; init; }
    public int? VictimsSafeguarded { get; init; }
    public int? VictimsMinors { get; init; }
    public ExploitationBreakdown? VictimsByExploitation { get; init; }
    public int? IrregularMigrants { get; init; }
    public int? InvestigationsOpened { get; init; }
    public int? OfficersDeployed { get; init; }
    public string? Notes { get; init; }
}
