namespace Liberterra.Web.Dashboard.Charts;

/// <summary>
/// One class of a classed colour scale: the whole numbers from <paramref name="Min"/> to <paramref name="Max"/> inclusive,
/// drawn in <see cref="ChartPalette.Sequential"/>[<paramref name="Shade"/>].
/// </summary>
public sealed record ValueClass(long Min, long Max, int Shade)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    public string Fill => ChartPalette.Sequential[Shade];
}
