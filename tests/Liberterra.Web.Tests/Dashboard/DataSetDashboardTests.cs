using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Liberterra.Web.Tests;

/// <summary>
/// An operation whose indicators no template has (<see cref="DataSetDrill"/>), followed through every page: the cards,
/// charts, tables, exports, country page, press summary and comparison come from its data set, and its labels are text.
/// </summary>
public sealed class DataSetDashboardTests : IAsyncLifetime, IDisposable
{
    private const string Code = "drill-labour";
    private const string Name = "Drill labour";

    private readonly LiberterraApp app = new()
    {
        Settings = { ["RateLimiting:PermitsPerSecond"] = "1000", ["RateLimiting:Burst"] = "1000" },
    };

    private HttpClient reader = null!;

    public async Task InitializeAsync()
    {
        var drill = await ApiDrill.CreateAsync(app, code: null, units: ["ESP", "SEN"]);
        using (var admin = drill.Admin)
        {
            await DataSetDrill.CreateOperationAsync(admin, Code, Name, participants: ["ESP", "FRA", "SEN"]);
        }

        // Spain: two days (the stock peaks at 12 on the first), Senegal: one whole-operation return. France never reports.
        using var spain = drill.Unit("ESP");
        using var senegal = drill.Unit("SEN");
        await PostAsync(spain, DataSetDrill.Return("ESP", "2026-11-01", workplaces: 40, violations: 18, vehicles: 12, women: 5, men: 7));
        await PostAsync(spain, DataSetDrill.Return("ESP", "2026-11-02", workplaces: 10, violations: 2, vehicles: 9));
        await PostAsync(senegal, DataSetDrill.Return("SEN", null, vehicles: 8, women: 3));
        reader = app.CreateClient();
    }

    private static async Task PostAsync(HttpClient unit, object body)
    {
        using var response = await WriteApi.PostReturnAsync(unit, Code, body);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        reader?.Dispose();
        app.Dispose();
    }

    private async Task<(IHtmlDocument Document, string Html)> PageAsync(string path)
    {
        using var response = await reader.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        var html = await response.Content.ReadAsStringAsync();
        return (new HtmlParser().ParseDocument(html), html);
    }

    /// <summary>The markup in the label never reaches a page as markup: no script element, and the label's text is encoded.</summary>
    private static void LabelsAreInert(IHtmlDocument document, string html)
    {
        document.QuerySelectorAll("script:not([src])").Should().BeEmpty();
        html.Should().NotContain("<script>alert(1)", "a label is text, never markup");
    }

    [Fact]
    public async Task TheDashboardHasACardForEachTopLevelIndicatorWithItsSubtotalAsAShare()
    {
        var (document, html) = await PageAsync($"/operations/{Code}");

        document.QuerySelectorAll(".card").Select(card => card.GetAttribute("data-metric"))
            .Should().Equal(["countries", .. DataSetDrill.TopLevel], "one card per top-level indicator, in data-set order");
        document.QuerySelector(".card[data-metric='countries'] .value")!.TextContent.Should().Be("2");

        var workplaces = document.QuerySelector(".card[data-metric='workplacesInspected']")!;
        workplaces.QuerySelector(".value")!.TextContent.Should().Be("50");
        workplaces.QuerySelector(".label")!.TextContent.Should().StartWith("workplaces inspected");
        workplaces.QuerySelector(".part[data-metric='workplacesWithViolations']")!.TextContent
            .Should().Be(", 40% workplaces with violations <script>alert(1)</script> (20)", "the subtotal's share of its whole and its label, as text");

        var vehicles = document.QuerySelector(".card[data-metric='vehiclesDeployed']")!;
        vehicles.QuerySelector(".value")!.TextContent.Should().Be("20", "Spain's peak of 12 and Senegal's 8; Spain's two days are not added");
        vehicles.QuerySelector(".label")!.TextContent.Should().Be("vehicles deployed (each country's peak, summed)");

        document.QuerySelector(".card[data-metric='workersIdentified'] .value")!.TextContent.Should().Be("15", "a breakdown's total is the sum of its options");
        LabelsAreInert(document, html);
    }

    [Fact]
    public async Task EveryBreakdownHasABarChartWithADataTable()
    {
        var (document, _) = await PageAsync($"/operations/{Code}");

        var figure = document.GetElementById("breakdown-workersIdentified")!;
        figure.QuerySelector("svg title")!.TextContent.Should().Be("Workers identified");
        figure.QuerySelectorAll("svg .ch-bar").Should().HaveCount(2);
        figure.QuerySelectorAll("details tbody tr").Select(row => (row.GetAttribute("data-option"), row.Children[0].TextContent, row.Children[1].TextContent, row.Children[2].TextContent))
            .Should().Equal(("women", "Women", "8", "2"), ("men", "Men", "7", "1"));
        document.QuerySelectorAll("figure.breakdown").Should().HaveCount(1, "the data set has one breakdown");
    }

    [Fact]
    public async Task TheMapAndTheTableFollowTheDataSet()
    {
        var (document, html) = await PageAsync($"/operations/{Code}");

        document.QuerySelectorAll("#metric option").Select(option => option.GetAttribute("value")).Should().Equal(DataSetDrill.SingleFigures);
        document.QuerySelector("#metric option[selected]")!.GetAttribute("value").Should().Be("workplacesInspected", "the first indicator is the default");
        document.QuerySelector("#metric option[value='workplacesWithViolations']")!.TextContent.Should().Be(DataSetDrill.HostileLabel);
        document.QuerySelectorAll("#countries thead a").Select(a => a.GetAttribute("data-sort"))
            .Should().Equal(["name", "region", .. DataSetDrill.SingleFigures, "lastUpdated"]);
        document.QuerySelector("#countries thead a[data-sort='workplacesWithViolations']")!.TextContent.Should().Be(DataSetDrill.HostileLabel);
        document.QuerySelector("#countries tr[data-iso3='ESP']")!.Children.Select(cell => cell.TextContent).Skip(2).Take(3).Should().Equal("50", "20", "12");
        document.QuerySelector("#countries tr[data-iso3='FRA']")!.Children[2].TextContent.Should().Be("n/r");
        document.QuerySelectorAll("#regions details thead th").Select(th => th.TextContent).Skip(3)
            .Should().Equal("Workplaces inspected", DataSetDrill.HostileLabel, "Vehicles deployed");
        document.QuerySelector("#timeline details .chart-note")!.TextContent.Should().Contain("Vehicles deployed on a day is summed across countries for that day only");
        LabelsAreInert(document, html);

        var (byVehicles, _) = await PageAsync($"/operations/{Code}?metric=vehiclesDeployed&sort=vehiclesDeployed");
        byVehicles.QuerySelector("#metric option[selected]")!.GetAttribute("value").Should().Be("vehiclesDeployed");
        byVehicles.QuerySelector("#map svg title")!.TextContent.Should().Be("Vehicles deployed by country");
        byVehicles.QuerySelectorAll("#countries tbody tr").Select(row => row.GetAttribute("data-iso3")).Should().Equal(["ESP", "SEN", "FRA"], "sorted by the stock, largest first, blanks last");

        var (unknown, _) = await PageAsync($"/operations/{Code}?metric=arrests&sort=arrests");
        unknown.QuerySelector("#metric option[selected]")!.GetAttribute("value").Should().Be("workplacesInspected", "an indicator this operation lacks falls back to its first");
        unknown.QuerySelector("th[aria-sort] a")!.GetAttribute("data-sort").Should().Be("name");
    }

    [Fact]
    public async Task TheCountryPagePressSummaryAndExportsFollowTheDataSet()
    {
        var (country, countryHtml) = await PageAsync($"/operations/{Code}/countries/ESP");
        country.QuerySelectorAll("#country-figures tr").Select(row => (row.GetAttribute("data-metric"), row.Children[1].TextContent)).Should().Equal(
            ("workplacesInspected", "50"), ("workplacesWithViolations", "20"), ("vehiclesDeployed", "12"),
            ("workersIdentified", "12"), ("workersIdentified.women", "5"), ("workersIdentified.men", "7"));
        country.QuerySelector("#country-figures tr[data-metric='workplacesWithViolations'] th")!.TextContent.Should().Be(DataSetDrill.HostileLabel);
        country.QuerySelector("#figures-heading ~ .chart-note")!.TextContent.Should().Contain("Vehicles deployed is this country's highest daily figure");
        country.QuerySelectorAll("#daily thead th[data-metric]").Select(th => th.GetAttribute("data-metric")).Should().Equal(DataSetDrill.SingleFigures);
        country.QuerySelectorAll("#daily tbody tr").Select(row => row.Children[3].TextContent).Should().Equal("12", "9");
        LabelsAreInert(country, countryHtml);

        var (press, _) = await PageAsync($"/operations/{Code}/press");
        press.QuerySelectorAll("#press-summary p").Select(p => p.TextContent).Skip(1).Should().Equal(
            "50 workplaces were inspected.", "Vehicles deployed: 20.", "These figures are preliminary.");

        using var csvClient = app.CreateClient();
        csvClient.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        var export = await reader.GetStringAsync($"/operations/{Code}/export/countries.csv");
        export.Should().Be(await csvClient.GetStringAsync($"/api/v1/operations/{Code}/countries"));
        export.Split('\n')[0].Should().Contain("workplacesInspected,workplacesWithViolations,vehiclesDeployed,workersIdentified.women,workersIdentified.men");
    }

    [Fact]
    public async Task CompareSaysWhichIndicatorsEachOperationLacks()
    {
        var (document, html) = await PageAsync("/compare");

        document.QuerySelectorAll("#compare tbody tr").Select(row => row.GetAttribute("data-metric"))
            .Should().Equal(["countriesParticipating"], "the drill shares no indicator with the Liberterra operations");
        document.QuerySelector("#compare tr[data-metric='countriesParticipating'] th")!.TextContent.Should().Be("Countries taking part");
        document.QuerySelector("#missing li[data-metric='workplacesInspected']")!.TextContent
            .Should().Be("Workplaces inspected: not collected by Liberterra, Liberterra II and Liberterra III");
        document.QuerySelector("#missing li[data-metric='workplacesWithViolations'] strong")!.TextContent.Should().Be(DataSetDrill.HostileLabel);
        document.QuerySelector("#missing li[data-metric='officersDeployed']")!.TextContent.Should().EndWith($"not collected by {Name}");
        LabelsAreInert(document, html);

        var (reconciliation, _) = await PageAsync("/reconciliation");
        reconciliation.QuerySelector($"section[data-operation='{Code}'] p")!.TextContent.Should().Be("No reference figures were published for this operation.");
    }
}
