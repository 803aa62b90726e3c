using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Core.Reporting;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class ReportingTests
{
    private static readonly Dictionary<string, Country> Countries = new()
    {
        ["ESP"] = new("ES", "ESP", "Spain", Region.Europe),
        ["SEN"] = new("SN", "SEN", "Senegal", Region.Africa),
    };

    private static Operation Op(string code, OperationStatus status = OperationStatus.Final, params PublishedFigure[] published) => new(
        code, $"Liberterra {code}", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 21), status,
        new HashSet<string> { "ESP", "SEN" }, published, null);

    private static CountryReturn Whole(string country, ReturnMetrics metrics) =>
        new(country, ReturnPeriod.WholeOperation, metrics, null, 1, new DateTime(2025, 11, 22, 0, 0, 0, DateTimeKind.Utc), false);

    private static CountryReturn Day(string country, int day, ReturnMetrics metrics) =>
        new(country, ReturnPeriod.Day(new DateOnly(2025, 11, day)), metrics, null, 1, new DateTime(2025, 11, day, 0, 0, 0, DateTimeKind.Utc), false);

    [Theory]
    [InlineData(0, "0")]
    [InlineData(748, "748")]
    [InlineData(999, "999")]
    [InlineData(1000, "1,000")]
    [InlineData(1001, "more than 1,000")]
    [InlineData(3744, "more than 3,700")]
    [InlineData(4400, "4,400")]
    [InlineData(4414, "more than 4,400")]
    [InlineData(12992, "more than 12,900")]
    public void RoundingRuleNeverOverstates(long value, string expected) => PressSummary.Round(value).Should().Be(expected);

    [Fact]
    public void PressSummaryStatesEachReportedHeadlineOnce()
    {
        var aggregate = ReturnAggregator.Aggregate(Op("iii"), Countries,
        [
            Whole("ESP", new ReturnMetrics { Arrests = 3000, ArrestsTraffickingSmuggling = 1850, VictimsSafeguarded = 4414, VictimsMinors = 12 }),
            Whole("SEN", new ReturnMetrics { Arrests = 744, IrregularMigrants = 12992 }),
        ]);

        PressSummary.Sentences(aggregate).Should().Equal(
            "Police in 2 countries took part in Operation Liberterra iii, from 10 to 21 November 2025.",
            "More than 3,700 people were arrested, more than 1,800 of them for human trafficking or migrant smuggling.",
            "More than 4,400 potential victims of trafficking were safeguarded, 12 of them minors.",
            "More than 12,900 irregular migrants were detected.");
    }

    [Fact]
    public void PressSummaryLeavesOutWhatNobodyReportedAndSaysWhenFiguresArePreliminary()
    {
        var aggregate = ReturnAggregator.Aggregate(Op("ii", OperationStatus.Open), Countries, [Whole("ESP", new ReturnMetrics { InvestigationsOpened = 0 })]);

        var sentences = PressSummary.Sentences(aggregate);
        sentences.Should().HaveCount(3);
        sentences[0].Should().EndWith("1 of them have reported so far.");
        sentences[1].Should().Be("0 new investigations were opened.");
        sentences[2].Should().Be("These figures are preliminary.");
        string.Join(' ', sentences).Should().NotContain("arrest");
    }

    [Fact]
    public void ReconciliationMarksEachPublishedFigure()
    {
        var aggregate = ReturnAggregator.Aggregate(
            Op("iii", OperationStatus.Final,
                new PublishedFigure("arrests", 10, FigureQualifier.Exact, null),
                new PublishedFigure("investigationsOpened", 5, FigureQualifier.MoreThan, null),
                new PublishedFigure("irregularMigrants", 1, FigureQualifier.Exact, null),
                new PublishedFigure(Reconciliation.CountriesParticipating, 2, FigureQualifier.Exact, null)),
            Countries,
            [Whole("ESP", new ReturnMetrics { Arrests = 10, InvestigationsOpened = 5 })]);

        Reconciliation.For(aggregate).Select(r => (r.Published.Metric, r.Computed, r.Matches)).Should().Equal(
            ("arrests", 10L, true),
            ("investigationsOpened", 5L, false),
            ("irregularMigrants", (long?)null, false),
            (Reconciliation.CountriesParticipating, 2L, true));
    }

    [Fact]
    public void ComparisonGivesTheChangeFromEachOperationToTheNext()
    {
        var first = ReturnAggregator.Aggregate(Op("i"), Countries, [Whole("ESP", new ReturnMetrics { Arrests = 200, VictimsSafeguarded = 0 })]);
        var second = ReturnAggregator.Aggregate(Op("ii"), Countries, [Whole("ESP", new ReturnMetrics { Arrests = 300, VictimsSafeguarded = 5, IrregularMigrants = 7 })]);

        var rows = OperationComparison.Compare([first, second]);
        var arrests = rows.Single(r => r.Metric == "arrests");
        arrests.Values.Should().Equal(200, 300);
        arrests.Changes[0].Should().BeNull();
        arrests.Changes[1].Should().Be(new Change(100, 50.0));
        rows.Single(r => r.Metric == "victimsSafeguarded").Changes[1].Should().Be(new Change(5, null), "no percentage of a zero");
        rows.Single(r => r.Metric == "irregularMigrants").Changes[1].Should().BeNull("the first operation did not report it");
    }

    [Fact]
    public void FlagsAPartialBreakdownAndAnOutlyingDay()
    {
        ReturnMetrics Arrests(int n) => new() { Arrests = n };
        var flags = ReturnFlags.For(
        [
            Day("ESP", 10, Arrests(2)), Day("ESP", 11, Arrests(3)), Day("ESP", 12, Arrests(2)), Day("ESP", 13, Arrests(40)),
            Day("ESP", 14, new ReturnMetrics { Arrests = 2, VictimsSafeguarded = 5, VictimsByExploitation = new ExploitationBreakdown { Sexual = 2 } }),
            Day("ESP", 15, new ReturnMetrics { Arrests = 2, VictimsSafeguarded = 5, VictimsByExploitation = new ExploitationBreakdown { Sexual = 3 } }),
        ]);

        flags.Select(f => (f.Period.ToString(), f.Rule)).Should().Equal(
            ("2025-11-13", ReturnFlags.DayOutlier),
            ("2025-11-14", ReturnFlags.PartialBreakdown));
        flags[0].Message.Should().Be("40 arrests in one day, more than 5 times this country's median day (2).");
        flags[1].Message.Should().Be("The forms of exploitation account for only 2 of the 5 victims safeguarded.", "3 of 5 is more than half, so the 15th is not flagged");
    }

    [Fact]
    public void SmallCountsAndFewDaysAreNotFlagged()
    {
        ReturnFlags.For([Day("ESP", 10, new() { Arrests = 0 }), Day("ESP", 11, new() { Arrests = 0 }), Day("ESP", 12, new() { Arrests = 19 })])
            .Should().BeEmpty("19 is below the floor of 20");
        ReturnFlags.For([Day("ESP", 10, new() { Arrests = 1 }), Day("ESP", 11, new() { Arrests = 500 })])
            .Should().BeEmpty("two days give no meaningful median");
    }
}
