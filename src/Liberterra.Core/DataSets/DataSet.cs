namespace Liberterra.Core.DataSets;

/// <summary>
/// What an operation collects: an ordered list of indicators, as DHIS2 holds data elements in a data set. Every read
/// route, export, chart and check walks this list, so an indicator is defined once, here, and nowhere in code.
/// </summary>
public sealed class DataSet
{
    public const int MaxIndicators = 100;
    public const int MaxOptions = 50;

    private readonly Dictionary<string, Indicator> byCode;
    private readonly Dictionary<string, IndicatorColumn> byColumn;
    private readonly Dictionary<string, int> positions;
    private readonly Dictionary<string, IndicatorColumn[]> columnsOf;

    public DataSet(IReadOnlyList<Indicator> indicators)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        Indicators = indicators;
        byCode = indicators.ToDictionary(indicator => indicator.Code, StringComparer.Ordinal);
        var columns = new List<IndicatorColumn>();
        foreach (var indicator in indicators)
        {
            if (!indicator.IsBreakdown)
            {
                columns.Add(new IndicatorColumn(columns.Count, indicator.Code, indicator, null));
                continue;
            }

            foreach (var option in indicator.Options)
            {
                columns.Add(new IndicatorColumn(columns.Count, ColumnName(indicator.Code, option.Code), indicator, option));
            }
        }

        Columns = columns;
        byColumn = columns.ToDictionary(column => column.Name, StringComparer.Ordinal);
        positions = indicators.Select((indicator, i) => (indicator.Code, i)).ToDictionary(pair => pair.Code, pair => pair.i, StringComparer.Ordinal);
        columnsOf = indicators.ToDictionary(indicator => indicator.Code, indicator => columns.Where(column => column.Indicator == indicator).ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<Indicator> Indicators { get; }

    /// <summary>Every value a return can carry, in data-set order.</summary>
    public IReadOnlyList<IndicatorColumn> Columns { get; }

    /// <summary>Indicators that are part of no other: the dashboard's cards and the summary's sentences.</summary>
    public IEnumerable<Indicator> TopLevel => Indicators.Where(indicator => indicator.PartOf is null);

    public static string ColumnName(string indicator, string option) => $"{indicator}.{option}";

    public Indicator? Find(string code) => byCode.GetValueOrDefault(code);

    public IndicatorColumn? Column(string name) => byColumn.GetValueOrDefault(name);

    /// <summary>An indicator's position in <see cref="Indicators"/>.</summary>
    public int IndexOf(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return positions[indicator.Code];
    }

    /// <summary>The columns that hold an indicator's values: its own, or one per option of a breakdown.</summary>
    public IReadOnlyList<IndicatorColumn> ColumnsOf(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return columnsOf[indicator.Code];
    }

    /// <summary>The indicators declared part of this one (subtotals and breakdowns), in data-set order.</summary>
    public IEnumerable<Indicator> PartsOf(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return Indicators.Where(part => string.Equals(part.PartOf, indicator.Code, StringComparison.Ordinal));
    }
}
