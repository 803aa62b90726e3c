using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Liberterra.Core.Csv;

namespace Liberterra.Web.Tests;

public sealed class ReadApiTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Three = "/api/v1/operations/liberterra-iii";

    private Task<JsonElement> GetJsonAsync(string path) => seeded.Client.GetFromJsonAsync<JsonElement>(path);

    private static long Sum(IEnumerable<JsonElement> rows, string metric) =>
        rows.Sum(row => row.GetProperty(metric).ValueKind == JsonValueKind.Null ? 0 : row.GetProperty(metric).GetInt64());

    [Fact]
    public async Task OperationsAreListedNewestFirstWithTheirParticipantCounts()
    {
        var operations = (await GetJsonAsync("/api/v1/operations")).EnumerateArray().ToList();

        operations.Select(o => o.GetProperty("code").GetString()).Should().Equal("liberterra-iii", "liberterra-ii", "liberterra-i");
        operations[0].GetProperty("countriesParticipating").GetInt32().Should().Be(119);
        operations[0].GetProperty("startDate").GetString().Should().Be("2025-11-10");
        operations[0].GetProperty("endDate").GetString().Should().Be("2025-11-21");
        operations[0].GetProperty("status").GetString().Should().Be("final");
    }

    [Fact]
    public async Task AnOperationListsItsParticipantsByAlpha3Code()
    {
        var operation = await GetJsonAsync(Three);

        var participants = operation.GetProperty("participants").EnumerateArray().Select(p => p.GetString()).ToList();
        participants.Should().HaveCount(119).And.OnlyHaveUniqueItems().And.Contain(["MMR", "SEN", "ESP", "GBR", "DZA", "SLV", "LAO", "ALB"]);
    }

    [Theory]
    [InlineData("/api/v1/operations/no-such-operation")]
    [InlineData("/api/v1/operations/no-such-operation/totals")]
    [InlineData("/api/v1/operations/no-such-operation/regions")]
    [InlineData("/api/v1/operations/no-such-operation/countries")]
    [InlineData("/api/v1/operations/no-such-operation/timeline")]
    [InlineData("/api/v1/operations/no-such-operation/completeness")]
    public async Task AnUnknownOperationIsA404ProblemDetails(string path)
    {
        var response = await seeded.Client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().Should().Be("Operation not found");
        problem.GetProperty("detail").GetString().Should().Contain("no-such-operation");
        problem.GetProperty("status").GetInt32().Should().Be(404);
    }

    [Fact]
    public async Task AnUnknownApiRouteIsAlsoProblemDetails()
    {
        var response = await seeded.Client.GetAsync("/api/v1/nothing-here");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task TheFiveRegionsAddUpToTheOperationTotals()
    {
        var totals = await GetJsonAsync($"{Three}/totals");
        var regions = (await GetJsonAsync($"{Three}/regions")).GetProperty("regions").EnumerateArray().ToList();

        regions.Select(r => r.GetProperty("region").GetString()).Should().BeEquivalentTo(
            "Africa", "Americas", "Asia and South Pacific", "Europe", "Middle East and North Africa");
        regions.Sum(r => r.GetProperty("countriesParticipating").GetInt32()).Should().Be(119);
        foreach (var metric in new[] { "arrests", "victimsSafeguarded", "irregularMigrants", "investigationsOpened", "officersDeployed" })
        {
            Sum(regions, metric).Should().Be(totals.GetProperty(metric).GetInt64(), metric);
        }
    }

    [Fact]
    public async Task CountryRowsCarryCodeNameRegionFiguresAndTheIllustrativeFlag()
    {
        var body = await GetJsonAsync($"{Three}/countries");
        var countries = body.GetProperty("countries").EnumerateArray().ToList();

        countries.Should().HaveCount(119);
        body.GetProperty("notice").GetString().Should().Contain("illustrative");
        var senegal = countries.Single(c => c.GetProperty("country").GetString() == "SEN");
        senegal.GetProperty("name").GetString().Should().Be("Senegal");
        senegal.GetProperty("region").GetString().Should().Be("Africa");
        senegal.GetProperty("illustrative").GetBoolean().Should().BeTrue();
        senegal.GetProperty("irregularMigrants").GetInt64().Should().BeGreaterThanOrEqualTo(245);
        senegal.GetProperty("lastUpdated").ValueKind.Should().Be(JsonValueKind.String);
        Sum(countries, "arrests").Should().Be(3744);
    }

    [Fact]
    public async Task OfficersPerCountryAreThePeakDayNotTheSumOfDays()
    {
        var countries = (await GetJsonAsync($"{Three}/countries")).GetProperty("countries").EnumerateArray().ToList();
        var days = (await GetJsonAsync($"{Three}/timeline")).GetProperty("days").EnumerateArray().ToList();
        var totals = await GetJsonAsync($"{Three}/totals");

        Sum(countries, "officersDeployed").Should().Be(totals.GetProperty("officersDeployed").GetInt64());
        Sum(days, "officersDeployed").Should().BeGreaterThan(totals.GetProperty("officersDeployed").GetInt64() * 5,
            "adding up twelve days of the same officers would count them many times over");
    }

    [Fact]
    public async Task TheCountryTableCanBeFilteredByRegion()
    {
        var europe = (await GetJsonAsync($"{Three}/countries?region=Europe")).GetProperty("countries").EnumerateArray().ToList();

        europe.Should().NotBeEmpty();
        europe.Should().OnlyContain(c => c.GetProperty("region").GetString() == "Europe");
        europe.Select(c => c.GetProperty("country").GetString()).Should().Contain(["ESP", "GBR", "ALB"]);
    }

    [Fact]
    public async Task AnUnknownRegionIsAValidationProblemNamingTheField()
    {
        var response = await seeded.Client.GetAsync($"{Three}/countries?region=Atlantis");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("region")[0].GetString().Should().Contain("Atlantis").And.Contain("Europe");
    }

    [Theory]
    [InlineData("Americas,AsiaAndSouthPacific")]
    [InlineData("Africa, Americas")]
    [InlineData("3")]
    public async Task ARegionListOrNumberIsRejectedRatherThanReadAsAnotherRegion(string region)
    {
        var response = await seeded.Client.GetAsync($"{Three}/countries?region={Uri.EscapeDataString(region)}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NotReportedStaysNullAndReportedZeroStaysZeroForACountry()
    {
        var countries = (await GetJsonAsync($"{Three}/countries")).GetProperty("countries").EnumerateArray()
            .ToDictionary(c => c.GetProperty("country").GetString()!);

        countries["VEN"].GetProperty("investigationsOpened").ValueKind.Should().Be(JsonValueKind.Null, "Venezuela's seed leaves investigations blank");
        countries["MUS"].GetProperty("irregularMigrants").GetInt64().Should().Be(0, "Mauritius reported zero migrants");

        var request = new HttpRequestMessage(HttpMethod.Get, $"{Three}/countries");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var records = CsvText.Parse(new StringReader(await (await seeded.Client.SendAsync(request)).Content.ReadAsStringAsync()));
        var header = records[0].ToList();
        records.Single(r => r[0] == "VEN")[header.IndexOf("investigationsOpened")].Should().BeEmpty();
        records.Single(r => r[0] == "MUS")[header.IndexOf("irregularMigrants")].Should().Be("0");
    }

    [Fact]
    public async Task TheNamedCasesShowThroughTheApi()
    {
        var countries = (await GetJsonAsync($"{Three}/countries")).GetProperty("countries").EnumerateArray()
            .ToDictionary(c => c.GetProperty("country").GetString()!);
        var myanmarDays = (await GetJsonAsync($"{Three}/returns?country=MMR")).GetProperty("returns").EnumerateArray().ToList();

        myanmarDays.Should().Contain(day => day.GetProperty("victimsSafeguarded").GetInt32() >= 440 && day.GetProperty("victimsSafeguarded").GetInt32() <= 460,
            "one compound raid found about 450 workers");
        new[] { "BEN", "BFA", "CIV", "GHA", "SEN", "SLE" }.Sum(c => countries[c].GetProperty("victimsSafeguarded").GetInt64()).Should().BeGreaterThan(200);
        countries["MOZ"].GetProperty("victimsByExploitation").GetProperty("organRemoval").GetInt64().Should().BeGreaterThan(0);
        countries["MLI"].GetProperty("victimsByExploitation").GetProperty("sexual").GetInt64().Should().BeGreaterThanOrEqualTo(24);
        countries["IND"].GetProperty("victimsSafeguarded").GetInt64().Should().BeGreaterThanOrEqualTo(125);
    }

    [Theory]
    [InlineData("text/csv;q=0, application/json", false)]
    [InlineData("application/json, text/csv;q=0.1", false)]
    [InlineData("text/csv, application/json;q=0.5", true)]
    [InlineData("text/csv", true)]
    [InlineData("*/*", false)]
    public async Task CsvIsServedOnlyWhenTheClientPrefersIt(string accept, bool csv)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Three}/timeline");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await seeded.Client.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.Should().Be(csv ? "text/csv" : "application/json");
        response.Headers.Vary.Should().Contain("Accept");
    }

    [Fact]
    public async Task TheTimelineHasEveryDayOfTheWindowAndAddsUpToTheTotals()
    {
        var timeline = await GetJsonAsync($"{Three}/timeline");
        var totals = await GetJsonAsync($"{Three}/totals");
        var days = timeline.GetProperty("days").EnumerateArray().ToList();

        days.Should().HaveCount(12);
        days[0].GetProperty("date").GetString().Should().Be("2025-11-10");
        days[^1].GetProperty("date").GetString().Should().Be("2025-11-21");
        timeline.GetProperty("wholeOperation").ValueKind.Should().Be(JsonValueKind.Null);
        foreach (var metric in new[] { "arrests", "victimsSafeguarded", "irregularMigrants", "investigationsOpened" })
        {
            Sum(days, metric).Should().Be(totals.GetProperty(metric).GetInt64(), metric);
        }
    }

    [Fact]
    public async Task AWholeOperationSeedShowsUpAsTheTimelinesWholeOperationPart()
    {
        var timeline = await GetJsonAsync("/api/v1/operations/liberterra-ii/timeline");

        timeline.GetProperty("days").EnumerateArray().Should().HaveCount(6).And.OnlyContain(d => d.GetProperty("arrests").ValueKind == JsonValueKind.Null);
        timeline.GetProperty("wholeOperation").GetProperty("arrests").GetInt64().Should().Be(2517);
    }

    [Fact]
    public async Task CompletenessShowsEveryParticipantAndWhoHasNotReported()
    {
        var completeness = await GetJsonAsync($"{Three}/completeness");

        completeness.GetProperty("countriesParticipating").GetInt32().Should().Be(119);
        completeness.GetProperty("countriesReporting").GetInt32().Should().Be(119);
        completeness.GetProperty("notReported").GetArrayLength().Should().Be(0);
        completeness.GetProperty("illustrativeAllocation").GetBoolean().Should().BeTrue();
        var countries = completeness.GetProperty("countries").EnumerateArray().ToList();
        countries.Should().HaveCount(119).And.OnlyContain(c => c.GetProperty("reported").GetBoolean() && c.GetProperty("periodsReported").GetInt32() == 12);
    }

    [Fact]
    public async Task TheCountryTableComesAsCsvWhenAskedForAndMatchesTheJson()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Three}/countries");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await seeded.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var records = CsvText.Parse(new StringReader(await response.Content.ReadAsStringAsync()));
        records.Should().HaveCount(120, "a header and one row per participating country");
        var header = records[0].ToList();
        header.Should().StartWith(["country", "name", "region", "participant", "arrests"]).And.Contain("illustrative");
        var arrests = header.IndexOf("arrests");
        records.Skip(1).Sum(r => long.Parse(r[arrests], System.Globalization.CultureInfo.InvariantCulture)).Should().Be(3744);
        records.Skip(1).Should().OnlyContain(r => r[header.IndexOf("illustrative")] == "true");
    }

    [Fact]
    public async Task TheTimelineComesAsCsvWithOneRowPerDay()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/operations/liberterra-ii/timeline");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var text = await (await seeded.Client.SendAsync(request)).Content.ReadAsStringAsync();

        var records = CsvText.Parse(new StringReader(text));
        records.Should().HaveCount(1 + 6 + 1, "a header, six days and the whole-operation row");
        records[^1][0].Should().Be("all");
        var arrests = records[0].ToList().IndexOf("arrests");
        records[1][arrests].Should().BeEmpty("a day nobody reported is blank, not zero");
        records[^1][arrests].Should().Be("2517");
    }
}
