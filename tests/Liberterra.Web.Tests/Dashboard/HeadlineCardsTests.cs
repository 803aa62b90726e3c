using Liberterra.Core.Aggregation;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Web.Dashboard;

namespace Liberterra.Web.Tests;

/// <summary>How the cards word a data set's indicators, without the page around them.</summary>
public sealed class HeadlineCardsTests
{
    private static Dictionary<string, string> En(string text) => new() { ["en"] = text };

    private static readonly DataSet Checks = DataSetDefinition.Build(
    [
        new IndicatorDefinition { Code = "checks", Label = En("INTERPOL checks"), Kind = "flow" },
        new IndicatorDefinition { Code = "checksWithHits", Label = En("INTERPOL checks with hits"), Kind = "flow", PartOf = "checks" },
        new IndicatorDefinition { Code = "hitsOnPassports", Label = En("Hits on stolen passports"), Kind = "flow", PartOf = "checksWithHits" },
        new IndicatorDefinition { Code = "patrolsOut", Label = En("Patrols out"), Kind = "stock" },
        new IndicatorDefinition
        {
            Code = "checksByPlace", Label = En("Checks by place"), Kind = "flow", PartOf = "checks",
            Options = [new OptionDefinition { Code = "airport", Label = En("Airport") }, new OptionDefinition { Code = "border", Label = En("Land border") }],
        },
    ]).DataSet!;

    private static IReadOnlyList<HeadlineCard> Cards(params (string Column, long? Value)[] values) =>
        HeadlineCards.For(IndicatorTotals.FromReturn(Checks, ReturnValues.Of(values)));

    [Fact]
    public void TopLevelIndicatorsGetCardsAndTheirSubtotalsShareOfTheirOwnWhole()
    {
        var cards = Cards(("checks", 200), ("checksWithHits", 50), ("hitsOnPassports", 10), ("patrolsOut", 7), ("checksByPlace.airport", 120));

        cards.Select(card => (card.Indicator.Code, card.Value, card.Caption)).Should().Equal(
            ("checks", 200L, "INTERPOL checks"),
            ("patrolsOut", 7L, "patrols out (each country's peak, summed)"));
        cards[0].Parts.Select(part => (part.Indicator.Code, part.Text)).Should().Equal(
            [("checksWithHits", "25% with hits (50)"), ("hitsOnPassports", "20% hits on stolen passports (10)")],
            "a part's label loses its whole's where it starts with it; a part of a part is a share of that part; a breakdown is a chart, not a part");
    }

    [Fact]
    public void ASubtotalOfAWholeNotReportedOrZeroIsGivenWithoutAShare()
    {
        Cards(("checksWithHits", 4)).Single(card => card.Indicator.Code == "checks").Parts.Single().Text.Should().Be("with hits: 4");
        Cards(("checks", 0), ("checksWithHits", 0)).Single(card => card.Indicator.Code == "checks").Parts.Single().Text.Should().Be("with hits: 0");
        Cards(("checks", 9)).Single(card => card.Indicator.Code == "checks").Parts.Should().BeEmpty("a subtotal nobody reported says nothing");
        Cards().Should().OnlyContain(card => card.Value == null, "nothing reported is n/r on every card, never zero");
    }

    [Fact]
    public void PublishedFiguresAreNamedByTheDataSet()
    {
        Display.Label(Checks, "checksByPlace.border").Should().Be("Checks by place: Land border");
        Display.Label(Checks, "checksByPlace").Should().Be("Checks by place");
        Display.Label(Checks, "patrolsOut").Should().Be("Patrols out");
        Display.Label(Checks, Liberterra.Core.Reporting.Reconciliation.CountriesParticipating).Should().Be(Display.ParticipationLabel);
        Display.Label(Checks, "somethingElse").Should().Be("somethingElse");
    }
}
