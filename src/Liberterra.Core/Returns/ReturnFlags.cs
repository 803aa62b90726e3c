using System.Globalization;
using Liberterra.Core.DataSets;

namespace Liberterra.Core.Returns;

/// <summary>A figure worth a second look. Unlike <see cref="ReturnValidator"/>'s rules, a flag never blocks a return.</summary>
public sealed record ReturnFlag(ReturnPeriod Period, string Rule, string Message);

/// <summary>
/// Soft validation rules, in the spirit of DHIS2's validation-rule warnings: figures that pass every hard rule
/// but that an analyst should check with the national unit before briefing on them.
/// </summary>
public static class ReturnFlags
{
    /// <summary>A breakdown accounts for less than half of the indicator it is part of.</summary>
    public const string PartialBreakdown = "partial-breakdown";
    public const string DayOutlier = "day-outlier";

    /// <summary>A day is an outlier when it is more than this many times the country's median day…</summary>
    public const int OutlierFactor = 5;

    /// <summary>…and at least this large, so that small counts (3 against a median of 0) are not flagged.</summary>
    public const int OutlierFloor = 20;

    /// <summary>Flags for one country's current returns in one operation, checked against every breakdown and flow of its data set.</summary>
    public static IReadOnlyList<ReturnFlag> For(DataSet dataSet, IReadOnlyCollection<CountryReturn> returns)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(returns);
        var flags = new List<ReturnFlag>();
        var breakdowns = dataSet.Indicators.Where(indicator => indicator.IsBreakdown && indicator.PartOf is not null).ToList();
        foreach (var item in returns.OrderBy(r => r.Period.Date ?? DateOnly.MaxValue))
        {
            // A few unclassified cases are normal while they are assessed; most of them unclassified is worth a question.
            foreach (var breakdown in breakdowns)
            {
                var whole = dataSet.Find(breakdown.PartOf!)!;
                if (ReturnValidator.Total(dataSet, breakdown, item.Values) is { } classified && item.Values[whole.Code] is { } total && classified * 2 < total)
                {
                    flags.Add(new ReturnFlag(item.Period, PartialBreakdown,
                        $"The breakdown \"{breakdown.Label.En}\" accounts for only {Format(classified)} of the {Format(total)} {Label.InSentence(whole.Label.En)}."));
                }
            }
        }

        var days = returns.Where(r => !r.Period.IsWholeOperation).ToList();
        foreach (var indicator in dataSet.Indicators.Where(indicator => indicator.Kind == IndicatorKind.Flow && !indicator.IsBreakdown))
        {
            var values = days.Where(d => d.Values[indicator.Code] is not null).ToList();
            if (values.Count < 3)
            {
                continue;
            }

            var median = Median(values.Select(d => d.Values[indicator.Code]!.Value));
            foreach (var day in values.OrderBy(d => d.Period.Date))
            {
                var value = day.Values[indicator.Code]!.Value;
                if (value >= OutlierFloor && value > OutlierFactor * median)
                {
                    flags.Add(new ReturnFlag(day.Period, DayOutlier,
                        $"{Format(value)} {Label.InSentence(indicator.Label.En)} in one day, more than {OutlierFactor} times this country's median day ({Format(median)})."));
                }
            }
        }

        return flags.OrderBy(flag => flag.Period.Date ?? DateOnly.MaxValue).ToList();
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    private static string Format(double value) => value.ToString("#,##0.#", CultureInfo.InvariantCulture);
}
