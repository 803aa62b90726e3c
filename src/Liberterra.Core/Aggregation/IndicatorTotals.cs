using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Aggregation;

/// <summary>
/// Aggregated figures for every column of a data set, each with how many countries reported it. A column nobody
/// reported stays null: a blank never turns into a silent zero.
/// </summary>
public sealed class IndicatorTotals
{
    private readonly long?[] values;
    private readonly int[] reportedBy;

    // How many countries reported any column of each indicator, by indicator position: a breakdown's own count.
    private readonly int[] indicatorReportedBy;

    private IndicatorTotals(DataSet dataSet, long?[] values, int[] reportedBy, int[] indicatorReportedBy)
    {
        DataSet = dataSet;
        this.values = values;
        this.reportedBy = reportedBy;
        this.indicatorReportedBy = indicatorReportedBy;
    }

    public DataSet DataSet { get; }

    public long? this[IndicatorColumn column]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(column);
            return values[column.Index];
        }
    }

    /// <summary>A column by name ("workplacesInspected", "workersIdentified.women"); null when nobody reported it or there is no such column.</summary>
    public long? this[string column] => DataSet.Column(column) is { } found ? values[found.Index] : null;

    /// <summary>An indicator's figure: its column's, or for a breakdown the sum of its reported options.</summary>
    public long? Total(Indicator indicator)
    {
        long? total = null;
        foreach (var column in DataSet.ColumnsOf(indicator))
        {
            if (values[column.Index] is { } value)
            {
                total = (total ?? 0) + value;
            }
        }

        return total;
    }

    /// <summary>How many countries contributed a value (possibly zero) to this column.</summary>
    public int ReportedBy(IndicatorColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return reportedBy[column.Index];
    }

    /// <summary>How many countries contributed a value to any column of this indicator.</summary>
    public int ReportedBy(Indicator indicator) => indicatorReportedBy[IndexOf(indicator)];

    public bool IsAnyReported => values.Any(value => value is not null);

    /// <summary>One country's figures for one return: each reported column counts as reported by one country.</summary>
    public static IndicatorTotals FromReturn(DataSet dataSet, ReturnValues returnValues)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(returnValues);
        var vals = new long?[dataSet.Columns.Count];
        foreach (var column in dataSet.Columns)
        {
            vals[column.Index] = returnValues[column.Name];
        }

        return OneCountry(dataSet, vals);
    }

    /// <summary>
    /// One country's figures over several periods: flows add up, stocks take the highest level seen,
    /// because the same officers deployed on two days are still the same officers.
    /// </summary>
    public static IndicatorTotals CombineCountryPeriods(DataSet dataSet, IEnumerable<ReturnValues> periods)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(periods);
        var vals = new long?[dataSet.Columns.Count];
        foreach (var period in periods)
        {
            foreach (var column in dataSet.Columns)
            {
                if (period[column.Name] is not { } value)
                {
                    continue;
                }

                var current = vals[column.Index];
                vals[column.Index] = column.Kind == IndicatorKind.Stock
                    ? Math.Max(current ?? value, value)
                    : (current ?? 0) + value;
            }
        }

        return OneCountry(dataSet, vals);
    }

    /// <summary>Figures of distinct countries (or of distinct countries on one day) add up for every column, stocks included.</summary>
    public static IndicatorTotals SumAcrossCountries(DataSet dataSet, IEnumerable<IndicatorTotals> countries)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(countries);
        var vals = new long?[dataSet.Columns.Count];
        var counts = new int[dataSet.Columns.Count];
        var indicatorCounts = new int[dataSet.Indicators.Count];
        foreach (var country in countries)
        {
            for (var i = 0; i < vals.Length; i++)
            {
                if (country.values[i] is { } value)
                {
                    vals[i] = (vals[i] ?? 0) + value;
                }

                counts[i] += country.reportedBy[i];
            }

            for (var i = 0; i < indicatorCounts.Length; i++)
            {
                indicatorCounts[i] += country.indicatorReportedBy[i];
            }
        }

        return new IndicatorTotals(dataSet, vals, counts, indicatorCounts);
    }

    private static IndicatorTotals OneCountry(DataSet dataSet, long?[] vals)
    {
        var indicatorCounts = new int[dataSet.Indicators.Count];
        foreach (var column in dataSet.Columns)
        {
            if (vals[column.Index] is not null)
            {
                indicatorCounts[dataSet.IndexOf(column.Indicator)] = 1;
            }
        }

        return new IndicatorTotals(dataSet, vals, vals.Select(value => value is null ? 0 : 1).ToArray(), indicatorCounts);
    }

    private int IndexOf(Indicator indicator) => DataSet.IndexOf(indicator);
}
