using Liberterra.Core.DataSets;

namespace Liberterra.Web.DataSets;

/// <summary>
/// Figures as the API writes them, in data-set order: a plain indicator as a number, a breakdown as an object keyed by
/// option, and null for "not reported", so every indicator of the data set is present whether reported or not. DTOs put
/// this dictionary into their JSON beside their own fields (<c>[JsonExtensionData]</c>); codes cannot clash with those
/// fields, because <see cref="DataSetDefinition.ReservedCodes"/> keeps them out of every data set.
/// </summary>
public static class IndicatorFigures
{
    public static Dictionary<string, object?> Of(DataSet dataSet, Func<IndicatorColumn, long?> value)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(value);
        var figures = new Dictionary<string, object?>(dataSet.Indicators.Count, StringComparer.Ordinal);
        foreach (var indicator in dataSet.Indicators)
        {
            var columns = dataSet.ColumnsOf(indicator);
            figures[indicator.Code] = indicator.IsBreakdown
                ? columns.ToDictionary(column => column.Option!.Code, value, StringComparer.Ordinal)
                : value(columns[0]);
        }

        return figures;
    }

    /// <summary>For each column and each breakdown, how many countries reported it.</summary>
    public static Dictionary<string, int> ReportedBy(Liberterra.Core.Aggregation.IndicatorTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var indicator in totals.DataSet.Indicators)
        {
            if (indicator.IsBreakdown)
            {
                counts[indicator.Code] = totals.ReportedBy(indicator);
            }

            foreach (var column in totals.DataSet.ColumnsOf(indicator))
            {
                counts[column.Name] = totals.ReportedBy(column);
            }
        }

        return counts;
    }
}
