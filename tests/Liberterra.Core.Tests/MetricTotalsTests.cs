using Liberterra.Core.Aggregation;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class MetricTotalsTests
{
    [Fact]
    public void FlowsAddUpOverACountrysDays()
    {
        var figures = MetricTotals.CombineCountryPeriods([new ReturnMetrics { Arrests = 3 }, new ReturnMetrics { Arrests = 4 }]);
        figures.Arrests.Should().Be(7);
    }

    [Fact]
    public void OfficersDeployedTakeTheHighestDayNotTheSum()
    {
        var figures = MetricTotals.CombineCountryPeriods(
            [new ReturnMetrics { OfficersDeployed = 100 }, new ReturnMetrics { OfficersDeployed = 140 }, new ReturnMetrics { OfficersDeployed = 90 }]);
        figures.OfficersDeployed.Should().Be(140);
    }

    [Fact]
    public void AMetricNobodyReportedStaysNullAndIsNotZero()
    {
        var figures = MetricTotals.CombineCountryPeriods([new ReturnMetrics { Arrests = 2 }, new ReturnMetrics { Arrests = null }]);
        figures.VictimsSafeguarded.Should().BeNull();
        figures.ReportedBy(MetricCatalog.VictimsSafeguarded).Should().Be(0);
    }

    [Fact]
    public void AReportedZeroIsZeroAndCountsAsReported()
    {
        var figures = MetricTotals.CombineCountryPeriods([new ReturnMetrics { VictimsSafeguarded = 0 }]);
        figures.VictimsSafeguarded.Should().Be(0);
        figures.ReportedBy(MetricCatalog.VictimsSafeguarded).Should().Be(1);
    }

    [Fact]
    public void SummingCountriesCountsHowManyReportedEachMetric()
    {
        var spain = MetricTotals.CombineCountryPeriods([new ReturnMetrics { Arrests = 5, OfficersDeployed = 10 }]);
        var senegal = MetricTotals.CombineCountryPeriods([new ReturnMetrics { Arrests = 0 }]);
        var total = MetricTotals.SumAcrossCountries([spain, senegal]);

        total.Arrests.Should().Be(5);
        total.ReportedBy(MetricCatalog.Arrests).Should().Be(2);
        total.OfficersDeployed.Should().Be(10);
        total.ReportedBy(MetricCatalog.OfficersDeployed).Should().Be(1);
        total.InvestigationsOpened.Should().BeNull();
    }
}
