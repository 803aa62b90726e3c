namespace Liberterra.Core.DataSets;

/// <summary>
/// One value a return can carry: a plain indicator ("workplacesInspected"), or one option of a breakdown, named "code.option"
/// as in CSV headers and a history's changed fields. Aggregates hold one figure per column, indexed by <see cref="Index"/>.
/// </summary>
public sealed record IndicatorColumn(int Index, string Name, Indicator Indicator, IndicatorOption? Option)
{
    public IndicatorKind Kind => Indicator.Kind;

    public long Max => Indicator.Max;

    /// <summary>The column's own label: the option's for a breakdown's column, otherwise the indicator's.</summary>
    public Label Label => Option?.Label ?? Indicator.Label;
}
