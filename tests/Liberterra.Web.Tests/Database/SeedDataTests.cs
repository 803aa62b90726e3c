using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Core.Returns;
using Liberterra.Data.Seeding;
using Liberterra.SeedData;

namespace Liberterra.Web.Tests;

/// <summary>
/// The seed files themselves: they are exactly what the committed generator produces, they pass the app's own
/// validation, and they honour every published figure and named fact in shared/reference/published-figures.md.
/// </summary>
public sealed class SeedDataTests
{
    private static readonly string SeedDirectory = FindSeedDirectory();

    private static readonly IReadOnlyDictionary<string, Country> Countries =
        SeedLoader.ReadCountries(Path.Combine(SeedDirectory, "countries.csv")).ToDictionary(c => c.Alpha3, StringComparer.Ordinal);

    private static readonly SeedFile Seed = SeedLoader.ReadSeedFileAsync(Path.Combine(SeedDirectory, "operations.json")).GetAwaiter().GetResult();

    private static string FindSeedDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Liberterra.sln")))
            {
                return Path.Combine(directory.FullName, "seed-data");
            }
        }

        throw new DirectoryNotFoundException("The repository root (Liberterra.sln) was not found above the test output.");
    }

    private static IReadOnlyList<ReturnCsvRow> ReturnsPath(string code)
    {
        var operation = Seed.Operations.Single(o => o.Code == code);
        return SeedLoader.ReadReturns(Path.Combine(SeedDirectory, operation.ReturnsFile), operation, Countries);
    }

    private static IEnumerable<ReturnCsvRow> Of(IEnumerable<ReturnCsvRow> rows, string country) => rows.Where(r => r.Country == country);

    private static long Sum(IEnumerable<ReturnCsvRow> rows, Func<ReturnValues, long?> metric) => rows.Sum(r => metric(r.Values) ?? 0);

    [Fact]
    public void TheCommittedFilesAreExactlyWhatTheGeneratorProduces()
    {
        var generated = SeedGenerator.Generate(Path.Combine(SeedDirectory, "countries.csv"));

        generated.Keys.Should().BeEquivalentTo("operations.json", "returns/liberterra-iii.csv", "returns/liberterra-ii.csv", "returns/liberterra-i.csv");
        foreach (var (path, content) in generated)
        {
            File.ReadAllText(Path.Combine(SeedDirectory, path)).Should().Be(content, $"{path} must be regenerated, not edited by hand");
        }
    }

    [Fact]
    public void TheCountryTableHoldsAll249IsoCountriesEachInOneOfTheFiveRegions()
    {
        var countries = SeedLoader.ReadCountries(Path.Combine(SeedDirectory, "countries.csv"));

        countries.Should().HaveCount(249);
        countries.Select(c => c.Alpha3).Should().OnlyHaveUniqueItems();
        countries.Select(c => c.Alpha2).Should().OnlyHaveUniqueItems();
        countries.Select(c => c.Name).Should().OnlyHaveUniqueItems("a table that shows two rows with the same name cannot be read");
        countries.Select(c => c.Region).Distinct().Should().BeEquivalentTo(RegionNames.All);
        Countries["ESP"].Region.Should().Be(Region.Europe);
        Countries["SEN"].Region.Should().Be(Region.Africa);
        Countries["MAR"].Region.Should().Be(Region.MiddleEastAndNorthAfrica);
        Countries["MMR"].Region.Should().Be(Region.AsiaAndSouthPacific);
        Countries["BRA"].Region.Should().Be(Region.Americas);
    }

    [Theory]
    [InlineData("liberterra-iii", 119)]
    [InlineData("liberterra-ii", 116)]
    [InlineData("liberterra-i", 47)]
    public void EveryOperationsReturnsPassValidationAndEveryParticipantReports(string code, int participants)
    {
        var operation = Seed.Operations.Single(o => o.Code == code);
        var rows = ReturnsPath(code);

        operation.Participants.Should().HaveCount(participants).And.OnlyHaveUniqueItems();
        rows.GroupBy(r => r.Country).Where(g => g.Any(r => r.Values.IsAnyReported)).Should().HaveCount(participants);
    }

    [Fact]
    public void LiberterraThreeHasOneReturnPerCountryPerDay()
    {
        var rows = ReturnsPath("liberterra-iii");

        rows.Should().HaveCount(119 * 12);
        rows.GroupBy(r => r.Country).Should().OnlyContain(g => g.Select(r => r.Period.Date).Distinct().Count() == 12);
    }

    [Fact]
    public void LiberterraThreeSumsToThePublishedFigures()
    {
        var rows = ReturnsPath("liberterra-iii");

        Sum(rows, m => m["arrests"]).Should().Be(3744);
        Sum(rows, m => m["victimsSafeguarded"]).Should().Be(4414);
        Sum(rows, m => m["irregularMigrants"]).Should().Be(12992);
        Sum(rows, m => m["arrestsTraffickingSmuggling"]).Should().BeGreaterThan(1800);
        Sum(rows, m => m["investigationsOpened"]).Should().BeGreaterThan(720);
        rows.GroupBy(r => r.Country).Sum(g => g.Max(r => r.Values["officersDeployed"] ?? 0)).Should().BeGreaterThan(14000);
    }

    [Fact]
    public void LiberterraThreeKeepsNotReportedAndReportedZeroApart()
    {
        var rows = ReturnsPath("liberterra-iii");

        rows.Should().Contain(r => r.Values["investigationsOpened"] == null, "some countries did not report investigations");
        rows.Should().Contain(r => r.Values["irregularMigrants"] == 0, "some countries reported zero migrants");
    }

    [Fact]
    public void LiberterraThreeHonoursTheNamedCases()
    {
        var rows = ReturnsPath("liberterra-iii");
        var participants = Seed.Operations.Single(o => o.Code == "liberterra-iii").Participants;

        participants.Should().Contain(["DZA", "SLV", "LAO", "GBR", "ALB", "MMR", "IND", "BEN", "BFA", "CIV", "GHA", "SEN", "SLE",
            "MAR", "GNB", "PER", "BRA", "PAK", "AFG", "MEX", "USA", "ESP", "MLI", "NGA", "BLZ", "MOZ", "CRI"]);

        Of(rows, "MMR").Should().Contain(r => r.Values["victimsSafeguarded"] >= 440 && r.Values["victimsSafeguarded"] <= 460
            && r.Values["victimsByExploitation.forcedCriminality"] > r.Values["victimsSafeguarded"] / 2, "one raid found about 450 workers");
        Sum(Of(rows, "IND"), m => m["victimsSafeguarded"]).Should().BeGreaterThanOrEqualTo(125);
        new[] { "BEN", "BFA", "CIV", "GHA", "SEN", "SLE" }.Sum(c => Sum(Of(rows, c), m => m["victimsSafeguarded"])).Should().BeGreaterThan(200);
        Of(rows, "SEN").Should().Contain(r => r.Values["irregularMigrants"] >= 245, "one boat carried 245 migrants");
        new[] { "MAR", "DZA", "GNB" }.Should().OnlyContain(c => Sum(Of(rows, c), m => m["irregularMigrants"]) > 0);
        Sum(Of(rows, "ESP"), m => m["victimsByExploitation.sexual"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "MLI"), m => m["victimsByExploitation.sexual"]).Should().BeGreaterThanOrEqualTo(24, "dozens of women");
        Sum(Of(rows, "BLZ"), m => m["victimsMinors"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "BLZ"), m => m["victimsByExploitation.forcedLabour"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "SLV"), m => m["victimsMinors"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "MOZ"), m => m["victimsByExploitation.organRemoval"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "MOZ"), m => m["victimsMinors"]).Should().BeGreaterThan(0);
        Sum(Of(rows, "CRI"), m => m["arrests"]).Should().BeGreaterThanOrEqualTo(2);
        Sum(Of(rows, "CRI"), m => m["victimsMinors"]).Should().BeGreaterThan(0);
        foreach (var form in new[] { "sexual", "forcedLabour", "forcedCriminality", "domesticServitude", "organRemoval" })
        {
            Sum(rows, m => m[$"victimsByExploitation.{form}"]).Should().BeGreaterThan(0, $"{form} was reported in the operation");
        }

        foreach (var unpublished in new[] { "inspections", "flightsMonitored", "databaseChecks", "criminalGroupsDismantled", "forgedDocumentsSeized" })
        {
            rows.Should().OnlyContain(r => r.Values[unpublished] == null, $"Liberterra III published no {unpublished}");
        }
    }

    [Fact]
    public void LiberterraTwoAndOneSumExactlyToTheirPublishedFigures()
    {
        var two = ReturnsPath("liberterra-ii");
        Sum(two, m => m["arrests"]).Should().Be(2517);
        Sum(two, m => m["arrestsTraffickingSmuggling"]).Should().Be(850);
        Sum(two, m => m["victimsSafeguarded"]).Should().Be(3222);
        Sum(two, m => m["irregularMigrants"]).Should().Be(17793);
        two.Should().OnlyContain(r => r.Period.IsWholeOperation && r.Values["officersDeployed"] == null && r.Values["investigationsOpened"] == null);
        Sum(two, m => m["flightsMonitored"]).Should().BeLessThan(24_000).And.BeGreaterThanOrEqualTo(23_520, "nearly 24,000");
        Sum(two, m => m["databaseChecks"]).Should().BeLessThan(8_000_000).And.BeGreaterThanOrEqualTo(7_840_000, "nearly 8 million");
        two.Should().Contain(r => r.Values["databaseChecks"] > 1_000_000, "the template lets databaseChecks exceed the default cap");
        Sum(Of(two, "TUR"), m => m["irregularMigrants"]).Should().BeGreaterThanOrEqualTo(1500);
        Sum(Of(two, "TUR"), m => m["arrestsTraffickingSmuggling"]).Should().BeGreaterThanOrEqualTo(94);
        Sum(Of(two, "PHL"), m => m["victimsSafeguarded"]).Should().BeGreaterThan(250);
        two.Should().OnlyContain(r => r.Values["inspections"] == null && r.Values["forgedDocumentsSeized"] == null);

        var one = ReturnsPath("liberterra-i");
        Sum(one, m => m["arrests"]).Should().Be(286);
        Sum(one, m => m["victimsSafeguarded"]).Should().Be(430);
        Sum(one, m => m["irregularMigrants"]).Should().Be(4000);
        Sum(one, m => m["investigationsOpened"]).Should().Be(60);
        one.Should().OnlyContain(r => r.Period.IsWholeOperation && r.Values["arrestsTraffickingSmuggling"] == null && r.Values["officersDeployed"] == null);
        Sum(one, m => m["inspections"]).Should().Be(500_000);
        Sum(one, m => m["criminalGroupsDismantled"]).Should().Be(22);
        Of(one, "TZA").Single().Values["forgedDocumentsSeized"].Should().Be(169, "Tanzania's bus driver carried 169 forged passports");
        one.Where(r => r.Country != "TZA").Should().OnlyContain(r => r.Values["forgedDocumentsSeized"] == null, "no other country's figure was published");
        one.Should().OnlyContain(r => r.Values["flightsMonitored"] == null && r.Values["databaseChecks"] == null);
    }

    [Fact]
    public void EverySeededOperationSaysItsSplitIsIllustrative() =>
        Seed.Operations.Should().HaveCount(3).And.OnlyContain(o => o.AllocationNote.Contains("illustrative", StringComparison.OrdinalIgnoreCase));
}
