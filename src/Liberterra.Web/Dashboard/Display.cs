using System.Globalization;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Reporting;
using Liberterra.Core.Returns;
using Microsoft.AspNetCore.Html;

namespace Liberterra.Web.Dashboard;

/// <summary>
/// How the dashboard writes figures: thousands separators, and a blank shown as "n/r" (not reported),
/// visibly different from 0, never as a zero.
/// </summary>
public static class Display
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The label of the participation row, the one figure every operation has whatever its data set.</summary>
    public const string ParticipationLabel = "Countries taking part";

    /// <summary>
    /// What a published figure or comparison row is called: participation, an indicator's label, or for one option of a
    /// breakdown ("workersIdentified.women") the breakdown's label and the option's; the name itself if the data set has no such thing.
    /// </summary>
    public static string Label(DataSet dataSet, string metric)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(metric);
        if (metric == Reconciliation.CountriesParticipating)
        {
            return ParticipationLabel;
        }

        return dataSet.Column(metric) switch
        {
            { Option: { } option } column => $"{column.Indicator.Label.En}: {option.Label.En}",
            { } column => column.Label.En,
            null => dataSet.Find(metric)?.Label.En ?? metric,
        };
    }

    /// <summary>Names in a sentence: "A", "A and B", "A, B and C".</summary>
    public static string Sentence(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count <= 1 ? string.Concat(items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
    }

    /// <summary>
    /// The item a query string names by code: exactly as written, else ignoring case (a hand-typed
    /// "?metric=WorkplacesInspected"); null when none has that code.
    /// </summary>
    public static T? ByCode<T>(IEnumerable<T> items, Func<T, string> code, string? wanted)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(code);
        return items.FirstOrDefault(item => string.Equals(code(item), wanted, StringComparison.Ordinal))
            ?? items.FirstOrDefault(item => string.Equals(code(item), wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The indicators an analyst can colour the map and charts by: every one with a single figure (a breakdown has its own chart).</summary>
    public static IReadOnlyList<Indicator> ChartIndicators(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return dataSet.Indicators.Where(indicator => !indicator.IsBreakdown).ToList();
    }

    public static string Number(long value) => value.ToString("N0", Invariant);

    /// <summary>A figure for a table cell or card: "3,744", or a marked "n/r" with a tooltip when not reported.</summary>
    public static IHtmlContent Figure(long? value) =>
        value is { } v ? new HtmlString(Number(v)) : new HtmlString("<abbr class=\"nr\" title=\"not reported\">n/r</abbr>");

    /// <summary>"48%" of a whole, or null when either side is missing or the whole is zero.</summary>
    public static string? Share(long? part, long? whole) =>
        part is { } p && whole is { } w && w > 0 ? (p * 100.0 / w).ToString("0", Invariant) + "%" : null;

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);

    public static string ShortDate(DateOnly date) => date.ToString("d MMM", Invariant);

    public static string Period(ReturnPeriod period) => period.Date is { } date ? Date(date) : "Whole operation";

    /// <summary>UTC timestamps, because national units in 119 countries report from as many time zones.</summary>
    public static string Timestamp(DateTime? at) => at is { } value ? value.ToString("d MMM yyyy HH:mm 'UTC'", Invariant) : "never";

    public static string Status(OperationStatus status) => status == OperationStatus.Final ? "final" : "preliminary";

    public static string Window(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return $"{Date(operation.StartDate)} to {Date(operation.EndDate)}";
    }

    public static string Qualified(PublishedFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Qualifier switch
        {
            FigureQualifier.MoreThan => $"more than {Number(figure.Value)}",
            FigureQualifier.About => $"about {Number(figure.Value)}",
            FigureQualifier.Nearly => $"nearly {Number(figure.Value)}",
            _ => Number(figure.Value),
        };
    }

    /// <summary>"+1,227 (+48.7%)": the difference, and the percentage where the earlier figure is not zero.</summary>
    public static string Change(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var sign = change.Difference > 0 ? "+" : change.Difference < 0 ? "−" : "±";
        var text = sign + Number(Math.Abs(change.Difference));
        return change.Percent is { } percent
            ? $"{text} ({(percent > 0 ? "+" : percent < 0 ? "−" : "±")}{Math.Abs(percent).ToString("0.0", Invariant)}%)"
            : text;
    }
}
