using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class ReturnAggregatorTests
{
    private static readonly Dictionary<string, Country> Countries = new()
    {
        ["ESP"] = new("ES", "ESP", "Spain", Region.Europe),
        ["SEN"] = new("SN", "SEN", "Senegal", Region.Africa),
        ["PER"] = new("PE", "PER", "Peru", Region.Americas),
    };

    private static readonly Operation Operation = new(
        "op", "Op", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 12), OperationStatus.Open,
        new HashSet<string> { "ESP", "SEN", "PER" }, [], "Illustrative.", DataSetTemplates.TraffickingSmuggling);

    private static CountryReturn Daily(string country, int day, ReturnValues metrics, bool illustrative = false) =>
        new(country, ReturnPeriod.Day(new DateOnly(2025, 11, day)), metrics, null, 1, new DateTime(2025, 11, day, 12, 0, 0, DateTimeKind.Utc), illustrative);

    private static OperationAggregate Aggregate(params CountryReturn[] returns) => ReturnAggregator.Aggregate(Operation, Countries, returns);

    [Fact]
    public void TotalsSumFlowsOverDaysAndCountries()
    {
        var aggregate = Aggregate(
            Daily("ESP", 10, ReturnValues.Of(("arrests", 2))),
            Daily("ESP", 11, ReturnValues.Of(("arrests", 3))),
            Daily("SEN", 10, ReturnValues.Of(("arrests", 4))));
        aggregate.Totals["arrests"].Should().Be(9);
    }

    [Fact]
    public void OfficersAreEachCountrysPeakSummedAcrossCountries()
    {
        var aggregate = Aggregate(
            Daily("ESP", 10, ReturnValues.Of(("officersDeployed", 100))),
            Daily("ESP", 11, ReturnValues.Of(("officersDeployed", 120))),
            Daily("SEN", 10, ReturnValues.Of(("officersDeployed", 30))),
            Daily("SEN", 12, ReturnValues.Of(("officersDeployed", 20))));

        aggregate.Totals["officersDeployed"].Should().Be(150, "120 for Spain's peak plus 30 for Senegal's, not 270");
        aggregate.Timeline.Single(d => d.Date.Day == 10).Figures["officersDeployed"].Should().Be(130, "on one day the countries' levels add up");
    }

    [Fact]
    public void CompletenessListsParticipantsThatHaveNotReported()
    {
        var aggregate = Aggregate(
            Daily("ESP", 10, ReturnValues.Of(("arrests", 1))),
            Daily("SEN", 10, ReturnValues.NotReported));

        aggregate.CountriesParticipating.Should().Be(3);
        aggregate.CountriesReporting.Should().Be(1);
        aggregate.NotReporting.Select(c => c.Country.Alpha3).Should().Equal("PER", "SEN");
    }

    [Fact]
    public void RegionsAddUpToTheTotals()
    {
        var aggregate = Aggregate(
            Daily("ESP", 10, ReturnValues.Of(("arrests", 2), ("officersDeployed", 5))),
            Daily("SEN", 11, ReturnValues.Of(("arrests", 7), ("officersDeployed", 8))),
            Daily("PER", 12, ReturnValues.Of(("arrests", 1))));

        aggregate.Regions.Should().HaveCount(5);
        aggregate.Regions.Sum(r => r.Figures["arrests"] ?? 0).Should().Be(aggregate.Totals["arrests"]);
        aggregate.Regions.Sum(r => r.Figures["officersDeployed"] ?? 0).Should().Be(aggregate.Totals["officersDeployed"]);
        aggregate.Regions.Single(r => r.Region == Region.MiddleEastAndNorthAfrica).Figures["arrests"].Should().BeNull();
    }

    [Fact]
    public void TheTimelineHasEveryDayOfTheWindowIncludingEmptyOnes()
    {
        var aggregate = Aggregate(Daily("ESP", 10, ReturnValues.Of(("arrests", 2))));

        aggregate.Timeline.Select(d => d.Date.Day).Should().Equal(10, 11, 12);
        aggregate.Timeline[1].CountriesReporting.Should().Be(0);
        aggregate.Timeline[1].Figures["arrests"].Should().BeNull();
        aggregate.WholeOperationReturns.Should().BeNull();
    }

    [Fact]
    public void WholeOperationReturnsCountInTotalsButBelongToNoDay()
    {
        var whole = new CountryReturn("PER", ReturnPeriod.WholeOperation, ReturnValues.Of(("arrests", 6)), null, 1, DateTime.UnixEpoch, false);
        var aggregate = Aggregate(Daily("ESP", 10, ReturnValues.Of(("arrests", 2))), whole);

        aggregate.Totals["arrests"].Should().Be(8);
        aggregate.Timeline.Sum(d => d.Figures["arrests"] ?? 0).Should().Be(2);
        aggregate.WholeOperationReturns!.Figures["arrests"].Should().Be(6);
        aggregate.WholeOperationReturns.CountriesReporting.Should().Be(1);
    }

    [Fact]
    public void IllustrativeSeedFiguresAreFlaggedPerCountryAndOverall()
    {
        var aggregate = Aggregate(Daily("ESP", 10, ReturnValues.Of(("arrests", 2)), illustrative: true), Daily("SEN", 10, ReturnValues.Of(("arrests", 1))));

        aggregate.IncludesIllustrativeAllocation.Should().BeTrue();
        aggregate.Countries.Single(c => c.Country.Alpha3 == "ESP").IsIllustrative.Should().BeTrue();
        aggregate.Countries.Single(c => c.Country.Alpha3 == "SEN").IsIllustrative.Should().BeFalse();
    }

    [Fact]
    public void AStrayReturnFromANonParticipantIsShownButNotCountedAsReporting()
    {
        var countries = new Dictionary<string, Country>(Countries) { ["FRA"] = new("FR", "FRA", "France", Region.Europe) };
        var aggregate = ReturnAggregator.Aggregate(Operation, countries, [Daily("FRA", 10, ReturnValues.Of(("arrests", 2)))]);

        aggregate.Countries.Single(c => c.Country.Alpha3 == "FRA").IsParticipant.Should().BeFalse();
        aggregate.CountriesReporting.Should().Be(0);
        aggregate.Regions.Single(r => r.Region == Region.Europe).CountriesReporting.Should().Be(0);
    }

    [Fact]
    public void LastUpdatedIsTheNewestReturn()
    {
        var aggregate = Aggregate(Daily("ESP", 10, ReturnValues.Of(("arrests", 2))), Daily("ESP", 12, ReturnValues.Of(("arrests", 2))));
        aggregate.LastUpdated.Should().Be(new DateTime(2025, 11, 12, 12, 0, 0, DateTimeKind.Utc));
    }
}
