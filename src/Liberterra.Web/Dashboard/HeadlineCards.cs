using Liberterra.Core.Aggregation;
using Liberterra.Core.DataSets;

namespace Liberterra.Web.Dashboard;

/// <summary>A subtotal shown on its whole's card, e.g. "48% with violations (1,800)".</summary>
public sealed record CardPart(Indicator Indicator, string Text);

/// <summary>One headline card: a top-level indicator's total, what it counts, and its reported subtotals.</summary>
public sealed record HeadlineCard(Indicator Indicator, long? Value, string Caption, IReadOnlyList<CardPart> Parts);

/// <summary>
/// The dashboard's cards, one per top-level indicator in data-set order. A subtotal is worded from its own label:
/// "Workplaces with violations" under "Workplaces" reads "48% with violations (1,800)". A breakdown
/// is not a card part: it has a chart of its own.
/// </summary>
public static class HeadlineCards
{
    /// <summary>How a stock adds up across countries, said on its card so nobody reads it as a sum over days.</summary>
    public const string StockNote = "each country's peak, summed";

    public static IReadOnlyList<HeadlineCard> For(IndicatorTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return totals.DataSet.TopLevel
            .Select(indicator => new HeadlineCard(indicator, totals.Total(indicator), Caption(indicator), Parts(totals, indicator).ToList()))
            .ToList();
    }

    /// <summary>What a figure of this indicator counts, as it follows the figure: "officers deployed (each country's peak, summed)".</summary>
    public static string Caption(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var caption = Label.InSentence(indicator.Label.En);
        return indicator.Kind == IndicatorKind.Stock ? $"{caption} ({StockNote})" : caption;
    }

    // Subtotals of subtotals follow their own whole, each as a share of the indicator it is part of.
    private static IEnumerable<CardPart> Parts(IndicatorTotals totals, Indicator whole)
    {
        foreach (var part in totals.DataSet.PartsOf(whole).Where(part => !part.IsBreakdown))
        {
            if (totals.Total(part) is { } value)
            {
                var wording = Wording(whole, part);
                var number = Display.Number(value);
                yield return new CardPart(part, Display.Share(value, totals.Total(whole)) is { } share ? $"{share} {wording} ({number})" : $"{wording}: {number}");
            }

            foreach (var nested in Parts(totals, part))
            {
                yield return nested;
            }
        }
    }

    /// <summary>A part's label without its whole's, when it starts with it: "Workplaces with violations" under "Workplaces" is "with violations".</summary>
    private static string Wording(Indicator whole, Indicator part)
    {
        var prefix = whole.Label.En + " ";
        var label = part.Label.En;
        return label.Length > prefix.Length && label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? label[prefix.Length..]
            : Label.InSentence(label);
    }
}
