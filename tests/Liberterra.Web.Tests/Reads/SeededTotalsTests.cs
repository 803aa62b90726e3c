using System.Net.Http.Json;
using System.Text.Json;
using Liberterra.Core.Operations;

namespace Liberterra.Web.Tests;

/// <summary>The seeded operations' totals, read through the API, equal the published figures.</summary>
public sealed class SeededTotalsTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private async Task<JsonElement> TotalsAsync(string code) =>
        await seeded.Client.GetFromJsonAsync<JsonElement>($"/api/v1/operations/{code}/totals");

    private static long? Long(JsonElement json, string name) =>
        json.GetProperty(name).ValueKind == JsonValueKind.Null ? null : json.GetProperty(name).GetInt64();

    [Fact]
    public async Task LiberterraThreeReproducesTheExactPublishedTotals()
    {
        var totals = await TotalsAsync("liberterra-iii");

        totals.GetProperty("countriesParticipating").GetInt32().Should().Be(119);
        totals.GetProperty("countriesReporting").GetInt32().Should().Be(119);
        Long(totals, "arrests").Should().Be(3744);
        Long(totals, "victimsSafeguarded").Should().Be(4414);
        Long(totals, "irregularMigrants").Should().Be(12992);
    }

    [Fact]
    public async Task LiberterraThreeHonoursTheFiguresPublishedAsMoreThan()
    {
        var totals = await TotalsAsync("liberterra-iii");

        Long(totals, "arrestsTraffickingSmuggling").Should().BeGreaterThan(1800).And.BeLessThanOrEqualTo(3744);
        Long(totals, "investigationsOpened").Should().BeGreaterThan(720);
        Long(totals, "officersDeployed").Should().BeGreaterThan(14000);
    }

    [Fact]
    public async Task LiberterraTwoReproducesItsPublishedTotalsAndLeavesUnpublishedMetricsBlank()
    {
        var totals = await TotalsAsync("liberterra-ii");

        totals.GetProperty("countriesParticipating").GetInt32().Should().Be(116);
        Long(totals, "arrests").Should().Be(2517);
        Long(totals, "arrestsTraffickingSmuggling").Should().Be(850);
        Long(totals, "victimsSafeguarded").Should().Be(3222);
        Long(totals, "irregularMigrants").Should().Be(17793);
        Long(totals, "officersDeployed").Should().BeNull("officers were never published for Liberterra II, and a blank is not a zero");
        totals.GetProperty("reportedBy").GetProperty("officersDeployed").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task LiberterraOneReproducesItsPublishedTotals()
    {
        var totals = await TotalsAsync("liberterra-i");

        totals.GetProperty("countriesParticipating").GetInt32().Should().Be(47);
        Long(totals, "arrests").Should().Be(286);
        Long(totals, "victimsSafeguarded").Should().Be(430);
        Long(totals, "irregularMigrants").Should().Be(4000);
        Long(totals, "investigationsOpened").Should().Be(60);
    }

    [Theory]
    [InlineData("liberterra-iii")]
    [InlineData("liberterra-ii")]
    [InlineData("liberterra-i")]
    public async Task EveryPublishedFigureIsMatchedByTheComputedTotal(string code)
    {
        var operation = await seeded.Client.GetFromJsonAsync<JsonElement>($"/api/v1/operations/{code}");
        var totals = await TotalsAsync(code);

        var figures = operation.GetProperty("publishedFigures").EnumerateArray().ToList();
        figures.Should().NotBeEmpty();
        foreach (var figure in figures)
        {
            var metric = figure.GetProperty("metric").GetString()!;
            var published = new PublishedFigure(
                metric,
                figure.GetProperty("value").GetInt64(),
                figure.GetProperty("qualifier").GetString() switch { "moreThan" => FigureQualifier.MoreThan, "about" => FigureQualifier.About, "nearly" => FigureQualifier.Nearly, "exact" => FigureQualifier.Exact, var other => throw new InvalidOperationException($"Unknown qualifier {other}") },
                null);
            var computed = Long(totals, metric);
            published.IsMatchedBy(computed).Should().BeTrue($"{code} {metric} was published as {published.Qualifier} {published.Value} and computes to {computed}");
        }
    }

    [Fact]
    public async Task TheTotalsSayPlainlyThatTheSplitIsIllustrative()
    {
        var totals = await TotalsAsync("liberterra-iii");

        totals.GetProperty("illustrativeAllocation").GetBoolean().Should().BeTrue();
        totals.GetProperty("notice").GetString().Should().Contain("illustrative");
    }

    [Fact]
    public async Task TheTemplatesNewIndicatorsAreExtraFieldsNullWhereNothingWasReportedAndCarryWhatWasPublished()
    {
        var three = await TotalsAsync("liberterra-iii");
        var fields = three.EnumerateObject().Select(p => p.Name).ToList();
        fields.Should().ContainInOrder("arrests", "arrestsTraffickingSmuggling", "victimsSafeguarded", "victimsMinors", "victimsByExploitation",
            "irregularMigrants", "investigationsOpened", "officersDeployed", "inspections", "flightsMonitored", "databaseChecks",
            "criminalGroupsDismantled", "forgedDocumentsSeized");
        foreach (var unpublished in new[] { "inspections", "flightsMonitored", "databaseChecks", "criminalGroupsDismantled", "forgedDocumentsSeized" })
        {
            three.GetProperty(unpublished).ValueKind.Should().Be(JsonValueKind.Null, $"Liberterra III published no {unpublished}");
            three.GetProperty("reportedBy").GetProperty(unpublished).GetInt32().Should().Be(0);
        }

        three.GetProperty("victimsByExploitation").EnumerateObject().Select(p => p.Name).Should()
            .Equal("sexual", "forcedLabour", "forcedCriminality", "domesticServitude", "organRemoval", "other");
        three.GetProperty("reportedBy").GetProperty("victimsByExploitation.sexual").GetInt32().Should().BeGreaterThan(0);

        var one = await TotalsAsync("liberterra-i");
        Long(one, "inspections").Should().Be(500_000);
        Long(one, "criminalGroupsDismantled").Should().Be(22);
        Long(one, "forgedDocumentsSeized").Should().Be(169);
        one.GetProperty("reportedBy").GetProperty("forgedDocumentsSeized").GetInt32().Should().Be(1, "only Tanzania's figure was published");

        var two = await TotalsAsync("liberterra-ii");
        Long(two, "flightsMonitored").Should().BeLessThan(24_000);
        Long(two, "databaseChecks").Should().BeLessThan(8_000_000).And.BeGreaterThan(7_840_000);
    }
}
