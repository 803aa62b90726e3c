using System.Globalization;
using Liberterra.Core.Aggregation;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;

namespace Liberterra.Core.Reporting;

/// <summary>
/// Headline sentences for a press release, derived from the exact totals with one rounding rule
/// (<see cref="Round"/>): one sentence per top-level indicator in data-set order, worded by its phrase, with a clause for each
/// reported part. An indicator nobody reported gets no sentence rather than a zero.
/// </summary>
public static class PressSummary
{
    public const string RoundingRule =
        "Figures below 1,000 are given exactly. Larger figures are rounded down to the nearest hundred and, " +
        "unless that is the exact figure, introduced with \"more than\", so a rounded figure never overstates the total.";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The rounding rule applied to one figure: 4,414 → "more than 4,400"; 4,400 → "4,400"; 748 → "748".</summary>
    public static string Round(long value)
    {
        if (value < 1000)
        {
            return value.ToString("N0", Invariant);
        }

        var floor = value / 100 * 100;
        var text = floor.ToString("N0", Invariant);
        return floor == value ? text : $"more than {text}";
    }

    public static IReadOnlyList<string> Sentences(OperationAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var operation = aggregate.Operation;
        var totals = aggregate.Totals;
        var sentences = new List<string>();

        var window = operation.StartDate.Month == operation.EndDate.Month && operation.StartDate.Year == operation.EndDate.Year
            ? $"{operation.StartDate.Day.ToString(Invariant)} to {operation.EndDate.ToString("d MMMM yyyy", Invariant)}"
            : $"{operation.StartDate.ToString("d MMMM yyyy", Invariant)} to {operation.EndDate.ToString("d MMMM yyyy", Invariant)}";
        var opening = $"Police in {Round(aggregate.CountriesParticipating)} countries took part in Operation {operation.Name}, from {window}.";
        if (aggregate.CountriesReporting < aggregate.CountriesParticipating)
        {
            opening += $" {Round(aggregate.CountriesReporting)} of them have reported so far.";
        }

        sentences.Add(opening);

        var dataSet = operation.DataSet;
        foreach (var indicator in dataSet.TopLevel.Where(indicator => !indicator.IsBreakdown))
        {
            if (totals.Total(indicator) is not { } value)
            {
                continue;
            }

            var sentence = indicator.Phrase is { } phrase ? Fill(phrase.En, value) : $"{indicator.Label.En}: {Round(value)}";
            foreach (var part in dataSet.PartsOf(indicator).Where(part => part.Phrase is not null && !part.IsBreakdown))
            {
                // A part adds a clause to its whole's sentence ("…, 1,800 of them for trafficking"); a zero adds nothing worth saying.
                if (totals.Total(part) is { } partValue and > 0)
                {
                    sentence += ", " + Fill(part.Phrase!.En, partValue);
                }
            }

            sentences.Add(Capitalise(sentence) + ".");
        }

        if (operation.Status == OperationStatus.Open)
        {
            sentences.Add("These figures are preliminary.");
        }

        return sentences;
    }

    private static string Fill(string phrase, long value) => phrase.Replace(DataSetDefinition.ValuePlaceholder, Round(value), StringComparison.Ordinal);

    private static string Capitalise(string text) => text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
}
