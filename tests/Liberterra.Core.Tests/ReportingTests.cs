using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
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

    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    /// <summary>What an operation against forced labour might collect: a flow with a subtotal, a stock, and a breakdown.</summary>
    private static readonly DataSet Labour = DataSetDefinition.Build(
    [
        new IndicatorDefinition { Code = "workplacesInspected", Label = En("Workplaces inspected"), Kind = "flow", Phrase = En("{value} workplaces were inspected") },
        new IndicatorDefinition
        {
            Code = "workplacesWithViolations", Label = En("Workplaces with violations"), Kind = "flow", PartOf = "workplacesInspected",
            Phrase = En("{value} of them with violations"),
        },
        new IndicatorDefinition { Code = "vehiclesDeployed", Label = En("Vehicles deployed"), Kind = "stock" },
        new IndicatorDefinition
        {
            Code = "workersIdentified", Label = En("Workers identified"), Kind = "flow",
            Options = [new OptionDefinition { Code = "women", Label = En("Women") }, new OptionDefinition { Code = "men", Label = En("Men") }],
        },
        new IndicatorDefinition { Code = "arrests", Label = En("Arrests"), Kind = "stock" },
    ]).DataSet!;

    private static Dictionary<string, string> En(string text) => new() { ["en"] = text };

    private static Operation Op(string code, OperationStatus status = OperationStatus.Final, params PublishedFigure[] published) =>
        Op(code, Template, status, published);

    private static Operation Op(string code, DataSet dataSet, OperationStatus status = OperationStatus.Final, params PublishedFigure[] published) => new(
        code, $"Liberterra {code}", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 21), status,
        new HashSet<string> { "ESP", "SEN" }, published, null, dataSet);

    private static CountryReturn Whole(string country, params (string Column, long? Value)[] values) =>
        new(country, ReturnPeriod.WholeOperation, ReturnValues.Of(values), null, 1, new DateTime(2025, 11, 22, 0, 0, 0, DateTimeKind.Utc), false);

    private static CountryReturn Day(string country, int day, params (string Column, long? Value)[] values) =>
        new(country, ReturnPeriod.Day(new DateOnly(2025, 11, day)), ReturnValues.Of(values), null, 1, new DateTime(2025, 11, day, 0, 0, 0, DateTimeKind.Utc), false);

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
            Whole("ESP", ("arrests", 3000), ("arrestsTraffickingSmuggling", 1850), ("victimsSafeguarded", 4414), ("victimsMinors", 12)),
            Whole("SEN", ("arrests", 744), ("irregularMigrants", 12992)),
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
        var aggregate = ReturnAggregator.Aggregate(Op("ii", OperationStatus.Open), Countries, [Whole("ESP", ("investigationsOpened", 0))]);

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
            [Whole("ESP", ("arrests", 10), ("investigationsOpened", 5))]);

        Reconciliation.For(aggregate).Select(r => (r.Published.Metric, r.Computed, r.Matches)).Should().Equal(
            ("arrests", 10L, true),
            ("investigationsOpened", 5L, false),
            ("irregularMigrants", (long?)null, false),
            (Reconciliation.CountriesParticipating, 2L, true));
    }

    [Fact]
    public void ComparisonGivesTheChangeFromEachOperationToTheNext()
    {
        var first = ReturnAggregator.Aggregate(Op("i"), Countries, [Whole("ESP", ("arrests", 200), ("victimsSafeguarded", 0))]);
        var second = ReturnAggregator.Aggregate(Op("ii"), Countries, [Whole("ESP", ("arrests", 300), ("victimsSafeguarded", 5), ("irregularMigrants", 7))]);

        var comparison = OperationComparison.Compare([first, second]);
        comparison.Missing.Should().BeEmpty("both operations use the template");
        var rows = comparison.Rows;
        rows.Select(r => r.Metric).Should().Equal(
            [Reconciliation.CountriesParticipating, .. Template.Indicators.Select(i => i.Code)], "participation first, then the data set's order");
        rows[0].Label.Should().BeNull();
        rows.Single(r => r.Metric == "arrests").Label!.En.Should().Be("Arrests");
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
        var flags = ReturnFlags.For(Template,
        [
            Day("ESP", 10, ("arrests", 2)), Day("ESP", 11, ("arrests", 3)), Day("ESP", 12, ("arrests", 2)), Day("ESP", 13, ("arrests", 40)),
            Day("ESP", 14, ("arrests", 2), ("victimsSafeguarded", 5), ("victimsByExploitation.sexual", 2)),
            Day("ESP", 15, ("arrests", 2), ("victimsSafeguarded", 5), ("victimsByExploitation.sexual", 3)),
        ]);

        flags.Select(f => (f.Period.ToString(), f.Rule)).Should().Equal(
            ("2025-11-13", ReturnFlags.DayOutlier),
            ("2025-11-14", ReturnFlags.PartialBreakdown));
        flags[0].Message.Should().Be("40 arrests in one day, more than 5 times this country's median day (2).");
        flags[1].Message.Should().Be(
            "The breakdown \"Victims by form of exploitation\" accounts for only 2 of the 5 potential victims safeguarded.", "3 of 5 is more than half, so the 15th is not flagged");
    }

    [Fact]
    public void SmallCountsAndFewDaysAreNotFlagged()
    {
        ReturnFlags.For(Template, [Day("ESP", 10, ("arrests", 0)), Day("ESP", 11, ("arrests", 0)), Day("ESP", 12, ("arrests", 19))])
            .Should().BeEmpty("19 is below the floor of 20");
        ReturnFlags.For(Template, [Day("ESP", 10, ("arrests", 1)), Day("ESP", 11, ("arrests", 500))])
            .Should().BeEmpty("two days give no meaningful median");
    }

    [Fact]
    public void FlagsFollowTheDataSetFlowsAndBreakdownsButNotStocks()
    {
        var labour = DataSetDefinition.Build(
        [
            new IndicatorDefinition { Code = "workersIdentified", Label = En("Workers identified"), Kind = "flow" },
            new IndicatorDefinition
            {
                Code = "workersBySex", Label = En("Workers by sex"), Kind = "flow", PartOf = "workersIdentified",
                Options = [new OptionDefinition { Code = "women", Label = En("Women") }, new OptionDefinition { Code = "men", Label = En("Men") }],
            },
            new IndicatorDefinition { Code = "vehiclesDeployed", Label = En("Vehicles deployed"), Kind = "stock" },
        ]).DataSet!;

        var flags = ReturnFlags.For(labour,
        [
            Day("ESP", 10, ("workersIdentified", 2), ("vehiclesDeployed", 1)), Day("ESP", 11, ("workersIdentified", 3), ("vehiclesDeployed", 1)),
            Day("ESP", 12, ("workersIdentified", 2), ("vehiclesDeployed", 1)),
            Day("ESP", 13, ("workersIdentified", 30), ("workersBySex.women", 4), ("workersBySex.men", 6), ("vehiclesDeployed", 90)),
        ]);

        flags.Select(f => (f.Period.ToString(), f.Rule)).Should().BeEquivalentTo(new[]
        {
            ("2025-11-13", ReturnFlags.PartialBreakdown),
            ("2025-11-13", ReturnFlags.DayOutlier),
        }, "a stock is a level, not a count of the day's events, so 90 vehicles is no outlier");
        flags.Single(f => f.Rule == ReturnFlags.PartialBreakdown).Message.Should().Contain("only 10 of the 30 workers identified");
    }

    [Fact]
    public void ThePressSummaryWordsAnIndicatorWithoutAPhraseByItsLabel()
    {
        var aggregate = ReturnAggregator.Aggregate(Op("labour", Labour), Countries,
        [
            Whole("ESP", ("workplacesInspected", 1234), ("workplacesWithViolations", 300), ("vehiclesDeployed", 12), ("workersIdentified.women", 5)),
            Whole("SEN", ("vehiclesDeployed", 8), ("workersIdentified.men", 7)),
        ]);

        PressSummary.Sentences(aggregate).Skip(1).Should().Equal(
            ["More than 1,200 workplaces were inspected, 300 of them with violations.", "Vehicles deployed: 20."],
            "a phrase words its sentence, a label stands in for a missing one, and an indicator nobody reported gets none");
    }

    [Fact]
    public void ReconciliationComputesParticipationIndicatorsAndOptions()
    {
        var aggregate = ReturnAggregator.Aggregate(
            Op("labour", Labour, OperationStatus.Final,
                new PublishedFigure("workersIdentified", 12, FigureQualifier.Exact, null),
                new PublishedFigure("workersIdentified.women", 5, FigureQualifier.Exact, null),
                new PublishedFigure("vehiclesDeployed", 20, FigureQualifier.Exact, null),
                new PublishedFigure("nothingOfTheSort", 1, FigureQualifier.Exact, null)),
            Countries,
            [
                Day("ESP", 10, ("vehiclesDeployed", 12), ("workersIdentified.women", 5)),
                Day("ESP", 11, ("vehiclesDeployed", 9)),
                Whole("SEN", ("vehiclesDeployed", 8), ("workersIdentified.men", 7)),
            ]);

        Reconciliation.For(aggregate).Select(r => (r.Published.Metric, r.Computed, r.Matches)).Should().Equal(
            ("workersIdentified", 12L, true),
            ("workersIdentified.women", 5L, true),
            ("vehiclesDeployed", 20L, true),
            ("nothingOfTheSort", (long?)null, false));
    }

    [Fact]
    public void ComparisonSaysWhichIndicatorsAreMissingFromWhichOperations()
    {
        var liberterra = ReturnAggregator.Aggregate(Op("i"), Countries, [Whole("ESP", ("arrests", 200))]);
        var labour = ReturnAggregator.Aggregate(Op("labour", Labour), Countries, [Whole("ESP", ("arrests", 3), ("workplacesInspected", 40))]);

        var comparison = OperationComparison.Compare([liberterra, labour]);

        comparison.Rows.Select(r => r.Metric).Should().Equal([Reconciliation.CountriesParticipating], "the two share no indicator of the same kind: arrests is a stock in one");
        comparison.Missing.Should().ContainSingle(m => m.Code == "arrests").Which.MissingFrom.Should().Equal(["labour"], "the first operation's kind is the one compared against");
        comparison.Missing.Single(m => m.Code == "workplacesInspected").MissingFrom.Should().Equal("i");
        comparison.Missing.Single(m => m.Code == "workplacesInspected").Label.En.Should().Be("Workplaces inspected");
        comparison.Missing.Single(m => m.Code == "victimsSafeguarded").MissingFrom.Should().Equal("labour");
    }
}
