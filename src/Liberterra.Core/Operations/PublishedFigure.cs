namespace Liberterra.Core.Operations;

/// <summary>
/// How a published figure was worded: "3,744" is exact, "over 1,800" is a lower bound, "about 4,000" is approximate,
/// and "nearly 24,000" is just below it.
/// </summary>
public enum FigureQualifier
{
    Exact,
    MoreThan,
    About,
    Nearly,
}

/// <summary>A figure an operation's organisers published, kept so computed totals can be reconciled against it.</summary>
public sealed record PublishedFigure(string Metric, long Value, FigureQualifier Qualifier, string? Source)
{
    /// <summary>Whether a computed total is consistent with the wording of the published figure.</summary>
    public bool IsMatchedBy(long? computed) => computed is { } value && Qualifier switch
    {
        FigureQualifier.Exact => value == Value,
        FigureQualifier.MoreThan => value > Value,
        // "About" carries no stated tolerance; the seed honours it exactly, so demand equality rather than guess a band.
        FigureQualifier.About => value == Value,

        // "Nearly N" is below N; within 2% of it, so that "nearly 8 million" is not met by 5 million.
        FigureQualifier.Nearly => value < Value && value * 50 >= Value * 49,
        _ => false,
    };
}
