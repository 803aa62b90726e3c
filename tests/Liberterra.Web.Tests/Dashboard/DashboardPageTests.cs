using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Liberterra.Core.DataSets;

namespace Liberterra.Web.Tests;

/// <summary>The dashboard's pages, read as HTML: the figures they show are the API's figures.</summary>
public sealed class DashboardPageTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Code = "liberterra-iii";

    private async Task<IHtmlDocument> PageAsync(string path)
    {
        var response = await seeded.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ApiAsync(string path) => await seeded.Client.GetFromJsonAsync<JsonElement>(path);

    private static string Card(IHtmlDocument document, string metric) =>
        document.QuerySelector($".card[data-metric='{metric}'] .value")!.TextContent.Trim();

    private static List<IElement> Rows(IHtmlDocument document) => document.QuerySelectorAll("#countries tbody tr").ToList();

    private static string Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "n/r" : value.GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An indicator's figure from the API: its value, or for a breakdown (an object by option) the sum of the reported options.</summary>
    private static string Total(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Number(value);
        }

        var reported = value.EnumerateObject().Where(option => option.Value.ValueKind != JsonValueKind.Null).Select(option => option.Value.GetInt64()).ToList();
        return reported.Count == 0 ? "n/r" : reported.Sum().ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    [Fact]
    public async Task TheHomePageRedirectsToTheLatestOperationsDashboard()
    {
        var client = seeded.App.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be($"/operations/{Code}");
    }

    [Theory]
    [InlineData("liberterra-iii")]
    [InlineData("liberterra-ii")]
    [InlineData("liberterra-i")]
    public async Task TheHeadlineCardsShowTheApisTotals(string code)
    {
        var document = await PageAsync($"/operations/{code}");
        var totals = await ApiAsync($"/api/v1/operations/{code}/totals");
        document.QuerySelectorAll(".card").Select(card => card.GetAttribute("data-metric"))
            .Should().Equal(["countries", .. Template.TopLevel.Select(indicator => indicator.Code)], "one card per top-level indicator, in data-set order");
        foreach (var indicator in Template.TopLevel)
        {
            Card(document, indicator.Code).Should().Be(Total(totals.GetProperty(indicator.Code)), indicator.Code);
        }

        Card(document, "countries").Should().Be(totals.GetProperty("countriesReporting").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        document.QuerySelector(".card[data-metric='countries'] .label")!.TextContent.Should()
            .Contain(totals.GetProperty("countriesParticipating").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LiberterraIIIShowsThePublishedHeadlinesTheIllustrativeNoticeAndItsStatus()
    {
        var document = await PageAsync($"/operations/{Code}");

        Card(document, "arrests").Should().Be("3,744");
        Card(document, "victimsSafeguarded").Should().Be("4,414");
        Card(document, "irregularMigrants").Should().Be("12,992");
        document.QuerySelector(".card[data-metric='countries'] .label")!.TextContent.Should().Contain("119");
        document.QuerySelector(".notice")!.TextContent.Should().Contain("illustrative");
        document.QuerySelector(".badge")!.TextContent.Should().Be("final");
        document.QuerySelector(".updated")!.TextContent.Should().StartWith("Figures last updated").And.EndWith("UTC");
        Rows(document).Should().HaveCount(119);
    }

    [Fact]
    public async Task ABlankIsShownAsNotReportedNotAsZero()
    {
        var document = await PageAsync("/operations/liberterra-i");
        var totals = await ApiAsync("/api/v1/operations/liberterra-i/totals");
        totals.GetProperty("officersDeployed").ValueKind.Should().Be(JsonValueKind.Null);

        var officers = document.QuerySelector(".card[data-metric='officersDeployed'] .value abbr")!;
        officers.TextContent.Should().Be("n/r");
        officers.GetAttribute("title").Should().Be("not reported");
        document.QuerySelector(".card[data-metric='officersDeployed'] .label")!.TextContent.Should().Be("officers deployed (each country's peak, summed)");
    }

    [Fact]
    public async Task ASubtotalIsShownAsItsShareOfItsWhole()
    {
        var document = await PageAsync($"/operations/{Code}");
        var totals = await ApiAsync($"/api/v1/operations/{Code}/totals");
        var arrests = totals.GetProperty("arrests").GetInt64();
        var trafficking = totals.GetProperty("arrestsTraffickingSmuggling").GetInt64();
        var share = (trafficking * 100.0 / arrests).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

        var card = document.QuerySelector(".card[data-metric='arrests']")!;
        card.QuerySelector(".part[data-metric='arrestsTraffickingSmuggling']")!.TextContent
            .Should().Be($", {share}% for trafficking or smuggling ({Number(totals.GetProperty("arrestsTraffickingSmuggling"))})");
        document.QuerySelectorAll(".card .part").Select(part => part.GetAttribute("data-metric"))
            .Should().Equal(["arrestsTraffickingSmuggling", "victimsMinors"], "every reported subtotal; the breakdown of victims is a chart instead");
    }

    [Fact]
    public async Task EveryChartHasATitleAndADataTable()
    {
        var document = await PageAsync($"/operations/{Code}");

        foreach (var id in new[] { "map", "regions", "timeline", "breakdown-victimsByExploitation" })
        {
            var figure = document.GetElementById(id)!;
            figure.QuerySelector("svg title")!.TextContent.Should().NotBeNullOrWhiteSpace(id);
            if (id != "map")
            {
                figure.QuerySelector("details table")!.Should().NotBeNull(id);
            }
        }

        document.QuerySelectorAll("#timeline details tbody tr").Should().HaveCount(12, "one row per day from 10 to 21 November");
        document.QuerySelectorAll("#regions details tbody tr").Should().HaveCount(5);
        document.QuerySelectorAll("figure.breakdown").Select(figure => figure.GetAttribute("data-metric"))
            .Should().Equal(Template.Indicators.Where(indicator => indicator.IsBreakdown).Select(indicator => indicator.Code), "every breakdown gets a chart");
        document.QuerySelectorAll("#breakdown-victimsByExploitation details tbody th").Select(th => th.TextContent)
            .Should().Equal(Template.Find("victimsByExploitation")!.Options.Select(option => option.Label.En));
    }

    [Fact]
    public async Task TheMapCanBeColouredByAnotherMetric()
    {
        var document = await PageAsync($"/operations/{Code}?metric=irregularMigrants");

        document.QuerySelector("#metric option[selected]")!.GetAttribute("value").Should().Be("irregularMigrants");
        document.QuerySelector("#map svg title")!.TextContent.Should().Contain("Irregular migrants");
    }

    [Fact]
    public async Task SortingByArrestsDescendingPutsTheLargestFirstAndIsShareable()
    {
        var document = await PageAsync($"/operations/{Code}?sort=arrests&dir=desc");
        var countries = await ApiAsync($"/api/v1/operations/{Code}/countries");
        var expected = countries.GetProperty("countries").EnumerateArray()
            .Select(c => (Code: c.GetProperty("country").GetString()!, Arrests: c.GetProperty("arrests").GetInt64()))
            .OrderByDescending(c => c.Arrests)
            .ToList();

        var shown = Rows(document).Select(r => r.GetAttribute("data-iso3")!).ToList();
        shown[0].Should().Be(expected[0].Code);
        Rows(document).Select(r => long.Parse(r.Children[2].TextContent, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeInDescendingOrder();
        document.QuerySelector("th[aria-sort='descending'] a")!.GetAttribute("data-sort").Should().Be("arrests");
        document.QuerySelector("th[aria-sort='descending'] a")!.GetAttribute("href").Should().Contain("dir=asc", "clicking the sorted column flips it");
    }

    [Fact]
    public async Task TheRegionFilterAndSearchNarrowTheTable()
    {
        var africa = await PageAsync($"/operations/{Code}?region=Africa");
        var api = await ApiAsync($"/api/v1/operations/{Code}/countries?region=Africa");

        Rows(africa).Select(r => r.GetAttribute("data-iso3")).Should()
            .BeEquivalentTo(api.GetProperty("countries").EnumerateArray().Select(c => c.GetProperty("country").GetString()));
        Rows(africa).Should().OnlyContain(r => r.Children[1].TextContent == "Africa");
        africa.QuerySelector("#region option[selected]")!.GetAttribute("value").Should().Be("Africa");

        var search = await PageAsync($"/operations/{Code}?q=nga");
        Rows(search).Select(r => r.GetAttribute("data-iso3")).Should().Contain("NGA");
        var byName = await PageAsync($"/operations/{Code}?q=senegal");
        Rows(byName).Select(r => r.GetAttribute("data-iso3")).Should().Equal("SEN");
    }

    [Fact]
    public async Task NonsenseSortAndMetricValuesFallBackToTheDefaults()
    {
        // An unknown region is refused instead, as the API refuses it (OneProblemPerMistakeTests).
        var document = await PageAsync($"/operations/{Code}?sort=%3Cscript%3E&dir=sideways&metric=nope");
        Rows(document).Should().HaveCount(119);
        document.QuerySelector("th[aria-sort='ascending'] a")!.GetAttribute("data-sort").Should().Be("name");
    }

    [Fact]
    public async Task TheCsvExportsAreTheApisCsv()
    {
        var csvClient = seeded.Client;
        csvClient.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        foreach (var (export, api) in new[] { ("countries.csv", "countries"), ("timeline.csv", "timeline") })
        {
            var download = await seeded.Client.GetAsync($"/operations/{Code}/export/{export}");
            download.StatusCode.Should().Be(HttpStatusCode.OK);
            download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
            var fromApi = await csvClient.GetStringAsync($"/api/v1/operations/{Code}/{api}");
            (await download.Content.ReadAsStringAsync()).Should().Be(fromApi, export);
        }

        var countries = await seeded.Client.GetStringAsync($"/operations/{Code}/export/countries.csv");
        countries.TrimEnd().Split('\n').Should().HaveCount(120, "a header and 119 countries");
    }

    [Fact]
    public async Task TheCountryExportFollowsTheTablesRegionFilter()
    {
        var document = await PageAsync($"/operations/{Code}?region=Africa");
        var link = document.GetElementById("export-countries")!.GetAttribute("href")!;
        link.Should().Be($"/operations/{Code}/export/countries.csv?region=Africa");

        var csvClient = seeded.Client;
        csvClient.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        (await seeded.Client.GetStringAsync(link)).Should().Be(await csvClient.GetStringAsync($"/api/v1/operations/{Code}/countries?region=Africa"));
        (await seeded.Client.GetAsync($"/operations/{Code}/export/countries.csv?region=Atlantis")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheCountryPageShowsTheCountrysFiguresDaysAndHistory()
    {
        var document = await PageAsync($"/operations/{Code}/countries/MMR");
        var api = await ApiAsync($"/api/v1/operations/{Code}/countries");
        var myanmar = api.GetProperty("countries").EnumerateArray().Single(c => c.GetProperty("country").GetString() == "MMR");

        document.QuerySelector("h1")!.TextContent.Should().Contain("Myanmar");
        document.QuerySelector("#country-figures tr[data-metric='victimsSafeguarded'] td")!.TextContent
            .Should().Be(Number(myanmar.GetProperty("victimsSafeguarded")));
        document.QuerySelectorAll("#daily tbody tr").Should().HaveCount(12);
        document.QuerySelectorAll("#history tbody tr").Should().NotBeEmpty();
        document.QuerySelector("#history tbody tr td:nth-child(4)")!.TextContent.Should().Be("seed");
        document.QuerySelector(".notice")!.TextContent.Should().Contain("illustrative");
        document.QuerySelector("#flags li[data-rule='day-outlier']")!.TextContent.Should().Contain("452", "the day Myanmar's 452 victims were safeguarded stands out");
    }

    [Theory]
    [InlineData("/operations/nope")]
    [InlineData("/operations/nope/completeness")]
    [InlineData("/operations/nope/press")]
    [InlineData("/operations/liberterra-iii/countries/XXX")]
    [InlineData("/operations/nope/export/countries.csv")]
    public async Task UnknownOperationsAndCountriesAre404(string path) =>
        (await seeded.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);

    [Fact]
    public async Task CompletenessListsTheSameCountriesAsTheApi()
    {
        var document = await PageAsync($"/operations/{Code}/completeness");
        var api = await ApiAsync($"/api/v1/operations/{Code}/completeness");

        document.QuerySelector("#completeness-summary")!.TextContent.Should().Contain($"{api.GetProperty("countriesReporting").GetInt32()} of {api.GetProperty("countriesParticipating").GetInt32()}");
        document.QuerySelectorAll("#completeness tbody tr").Should().HaveCount(api.GetProperty("countries").GetArrayLength());
        document.QuerySelectorAll("#not-reported li").Should().HaveCount(api.GetProperty("notReported").GetArrayLength());
    }

    [Fact]
    public async Task ReconciliationShowsEveryOperationsPublishedFiguresAsMatching()
    {
        var document = await PageAsync("/reconciliation");

        document.QuerySelectorAll("section[data-operation]").Select(s => s.GetAttribute("data-operation"))
            .Should().Equal("liberterra-iii", "liberterra-ii", "liberterra-i");
        foreach (var code in new[] { "liberterra-iii", "liberterra-ii", "liberterra-i" })
        {
            var published = (await ApiAsync($"/api/v1/operations/{code}")).GetProperty("publishedFigures");
            document.QuerySelectorAll($"section[data-operation='{code}'] tr[data-matches]").Select(r => r.GetAttribute("data-metric"))
                .Should().Equal(published.EnumerateArray().Select(figure => figure.GetProperty("metric").GetString()), "every published figure of {0}", code);
        }

        document.QuerySelectorAll("tr[data-matches]").Should().NotBeEmpty().And.OnlyContain(r => r.GetAttribute("data-matches") == "true");
        var trafficking = document.QuerySelector("section[data-operation='liberterra-iii'] tr[data-metric='arrestsTraffickingSmuggling']")!;
        trafficking.QuerySelector("th")!.TextContent.Should().Be("Arrests for trafficking or smuggling", "the label comes from the data set");
        trafficking.QuerySelector("td")!.TextContent.Should().Be("more than 1,800");
        document.QuerySelector("section[data-operation='liberterra-iii'] tr[data-metric='countriesParticipating'] th")!.TextContent.Should().Be("Countries taking part");
    }

    [Fact]
    public async Task ThePressSummaryStatesTheRoundedHeadlines()
    {
        var document = await PageAsync($"/operations/{Code}/press");
        var sentences = document.QuerySelectorAll("#press-summary p").Select(p => p.TextContent).ToList();

        sentences.Should().Contain("Police in 119 countries took part in Operation Liberterra III, from 10 to 21 November 2025.");
        sentences.Should().Contain(s => s.StartsWith("More than 3,700 people were arrested, more than 1,800 of them", StringComparison.Ordinal));
        sentences.Should().Contain(s => s.StartsWith("More than 4,400 potential victims of trafficking were safeguarded", StringComparison.Ordinal));
        sentences.Should().Contain("More than 12,900 irregular migrants were detected.");
        document.GetElementById("copy-summary")!.HasAttribute("hidden").Should().BeTrue("the button only appears when script can make it work");
        document.QuerySelector("main")!.TextContent.Should().Contain("rounded down to the nearest hundred");
    }

    [Fact]
    public async Task CompareShowsTheThreeOperationsOldestFirstWithTheirChanges()
    {
        var document = await PageAsync("/compare");

        document.QuerySelectorAll("#compare thead th a").Select(a => a.TextContent).Should().Equal("Liberterra", "Liberterra II", "Liberterra III");
        document.QuerySelectorAll("#compare tr[data-metric='arrests'] td").Select(td => td.TextContent)
            .Should().Equal("286", "+2,231 (+780.1%)", "2,517", "+1,227 (+48.7%)", "3,744");
        document.QuerySelector("#compare tr[data-metric='arrests'] th")!.TextContent.Should().Be("Arrests");
        document.QuerySelectorAll("#compare tbody tr").Select(r => r.GetAttribute("data-metric"))
            .Should().Equal(["countriesParticipating", .. Template.Indicators.Select(indicator => indicator.Code)], "the three share the template");
        document.GetElementById("missing").Should().BeNull("no indicator is missing from any of them");
    }

    [Fact]
    public async Task PagesForbidInlineScriptThroughContentSecurityPolicy()
    {
        var response = await seeded.Client.GetAsync($"/operations/{Code}");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'").And.NotContain("unsafe-inline");
        var html = await response.Content.ReadAsStringAsync();
        new HtmlParser().ParseDocument(html).QuerySelectorAll("script:not([src])").Should().BeEmpty();
        new HtmlParser().ParseDocument(html).QuerySelectorAll("[style]").Should().BeEmpty("style-src 'self' would block inline styles");
    }

    [Fact]
    public async Task InDevelopmentABannerSaysAnyoneMayRead()
    {
        var document = await PageAsync($"/operations/{Code}");
        document.QuerySelector(".banner")!.TextContent.Should().Contain("anyone");
    }
}

/// <summary>Pages after writes: a new return shows at once, its history is listed, and its notes are only ever text.</summary>
public sealed class DashboardAfterWritesTests : IDisposable
{
    // The poll for other instances' writes retires every cached page when it first sees the operation this test creates,
    // which on a busy machine can fall between the two views that must share a cached page. Its first poll, at start-up,
    // is all this single instance needs; writes through it retire pages at once, which is what is tested here.
    private readonly LiberterraApp app = new()
    {
        Settings = { ["RateLimiting:PermitsPerSecond"] = "1000", ["RateLimiting:Burst"] = "1000", ["Cache:RefreshMilliseconds"] = "600000" },
    };

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task ANewReturnShowsOnTheNextPageViewAndItsNotesAreInert()
    {
        var drill = await ApiDrill.CreateAsync(app, "drill-dashboard", units: ["ESP"]);
        var spain = drill.Unit("ESP");
        var code = drill.Code;
        var reader = app.CreateClient();

        var before = new HtmlParser().ParseDocument(await reader.GetStringAsync($"/operations/{code}"));
        before.QuerySelector(".card[data-metric='arrests'] .value")!.TextContent.Should().Be("n/r");
        (await reader.GetAsync($"/operations/{code}")).Headers.Age.Should().NotBeNull("the second view is served from the page cache");

        const string hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        (await WriteApi.PostReturnAsync(spain, code, WriteApi.Return("ESP", ApiDrill.StartDate, arrests: 7, notes: hostile))).EnsureSuccessStatusCode();
        (await WriteApi.PostReturnAsync(spain, code, WriteApi.Return("ESP", ApiDrill.StartDate, arrests: 9, notes: hostile))).EnsureSuccessStatusCode();

        var fresh = await reader.GetAsync($"/operations/{code}");
        fresh.Headers.Age.Should().BeNull("the write retired the cached page");
        var after = new HtmlParser().ParseDocument(await fresh.Content.ReadAsStringAsync());
        after.QuerySelector(".card[data-metric='arrests'] .value")!.TextContent.Should().Be("9", "the cached page was retired by the write");

        var countryHtml = await reader.GetStringAsync($"/operations/{code}/countries/ESP");
        var country = new HtmlParser().ParseDocument(countryHtml);
        var history = country.QuerySelectorAll("#history tbody tr").ToList();
        history.Should().HaveCount(2);
        history[0].Children[1].TextContent.Should().Be("2");
        history[0].Children[3].TextContent.Should().Be("NCB Madrid");
        history[0].Children[4].TextContent.Should().Be("arrests");
        history[1].Children[4].TextContent.Should().Be("first version");
        history[0].QuerySelector("td.notes")!.TextContent.Should().Be(hostile, "the notes are shown as text");
        country.QuerySelectorAll("main script, main img").Should().BeEmpty("nothing in the notes became markup");
    }
}
