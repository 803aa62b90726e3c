using Liberterra.Core.Aggregation;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class IndicatorTotalsTests
{
    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    [Fact]
    public void FlowsAddUpOverACountrysDays()
    {
        var figures = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("arrests", 3)), ReturnValues.Of(("arrests", 4))]);
        figures["arrests"].Should().Be(7);
    }

    [Fact]
    public void OfficersDeployedTakeTheHighestDayNotTheSum()
    {
        var figures = IndicatorTotals.CombineCountryPeriods(Template, 
            [ReturnValues.Of(("officersDeployed", 100)), ReturnValues.Of(("officersDeployed", 140)), ReturnValues.Of(("officersDeployed", 90))]);
        figures["officersDeployed"].Should().Be(140);
    }

    [Fact]
    public void AMetricNobodyReportedStaysNullAndIsNotZero()
    {
        var figures = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("arrests", 2)), ReturnValues.Of(("arrests", null))]);
        figures["victimsSafeguarded"].Should().BeNull();
        figures.ReportedBy(Template.Column("victimsSafeguarded")!).Should().Be(0);
    }

    [Fact]
    public void AReportedZeroIsZeroAndCountsAsReported()
    {
        var figures = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("victimsSafeguarded", 0))]);
        figures["victimsSafeguarded"].Should().Be(0);
        figures.ReportedBy(Template.Column("victimsSafeguarded")!).Should().Be(1);
    }

    [Fact]
    public void SummingCountriesCountsHowManyReportedEachMetric()
    {
        var spain = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("arrests", 5), ("officersDeployed", 10))]);
        var senegal = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("arrests", 0))]);
        var total = IndicatorTotals.SumAcrossCountries(Template, [spain, senegal]);

        total["arrests"].Should().Be(5);
        total.ReportedBy(Template.Column("arrests")!).Should().Be(2);
        total["officersDeployed"].Should().Be(10);
        total.ReportedBy(Template.Column("officersDeployed")!).Should().Be(1);
        total["investigationsOpened"].Should().BeNull();
    }
}

public sealed class IndicatorTotalsOfABreakdownTests
{
    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    [Fact]
    public void ABreakdownsTotalIsTheSumOfItsReportedOptionsAndItCountsAsReportedByAnyCountryReportingAnOption()
    {
        var breakdown = Template.Find("victimsByExploitation")!;
        var spain = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("victimsByExploitation.sexual", 3)), ReturnValues.Of(("victimsByExploitation.other", 2))]);
        var senegal = IndicatorTotals.CombineCountryPeriods(Template, [ReturnValues.Of(("arrests", 1))]);
        var total = IndicatorTotals.SumAcrossCountries(Template, [spain, senegal]);

        total.Total(breakdown).Should().Be(5);
        total.ReportedBy(breakdown).Should().Be(1, "Senegal reported no option");
        total["victimsByExploitation.forcedLabour"].Should().BeNull();
        total.Total(Template.Find("inspections")!).Should().BeNull("nobody reported it");
    }
}
