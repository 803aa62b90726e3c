using System.Text.RegularExpressions;
using Liberterra.Core.DataSets;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Liberterra.Browser.Tests;

/// <summary>The operation dashboard in Chromium with JavaScript on: cards, the country table's sort, filters and links, the exports, print.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task TheDashboardShowsLiberterraThreesHeadlineFigures()
    {
        var page = await OpenAsync(DashboardPage.Path);

        await HeadlineCardsTests.ExpectPublishedTotalsAsync(page);
        await Expect(page.Locator("[data-metric=countries] .label")).ToContainTextAsync("119");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Liberterra III");
    }

    [Fact]
    public async Task ClickingTheArrestsHeaderSortsDescendingThenAscending()
    {
        var page = await OpenAsync(DashboardPage.Path);
        // The most arrests, read from the table in its default (by name) order, so the sort is checked against the page's own figures.
        var names = await DashboardPage.Names(page).AllInnerTextsAsync();
        var arrests = (await DashboardPage.Arrests(page).AllInnerTextsAsync()).Select(DashboardPage.Figure).ToList();
        var most = arrests.Max();
        var leaders = names.Where((_, i) => arrests[i] == most).ToList();

        await page.Locator("#countries thead th a[data-sort=arrests]").ClickAsync();

        await Expect(page).ToHaveURLAsync(SortedByArrests("desc"));
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Expect(page.Locator("#countries thead th[aria-sort=descending] a[data-sort=arrests]")).ToHaveCountAsync(1);
        (await DashboardPage.Names(page).First.InnerTextAsync()).Should().BeOneOf(leaders, "the first row has the most arrests ({0})", most);
        var descending = (await DashboardPage.Arrests(page).AllInnerTextsAsync()).Select(DashboardPage.Figure).ToList();
        descending.Should().HaveCount(arrests.Count);
        ExpectBlanksLast(descending);
        descending.OfType<long>().Should().BeInDescendingOrder();

        await page.Locator("#countries thead th a[data-sort=arrests]").ClickAsync();

        await Expect(page).ToHaveURLAsync(SortedByArrests("asc"));
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Expect(page.Locator("#countries thead th[aria-sort=ascending] a[data-sort=arrests]")).ToHaveCountAsync(1);
        var ascending = (await DashboardPage.Arrests(page).AllInnerTextsAsync()).Select(DashboardPage.Figure).ToList();
        ExpectBlanksLast(ascending);
        ascending.OfType<long>().Should().BeInAscendingOrder();
        ascending.OfType<long>().Should().NotBeEmpty().And.Subject.First().Should().Be(arrests.Min());
    }

    [Fact]
    public async Task ChoosingARegionSubmitsTheFilterAtOnce()
    {
        var page = await OpenAsync(DashboardPage.Path);

        // No click on Filter: dashboard.js submits the form when the select changes.
        await page.Locator("select#region").SelectOptionAsync("Africa");

        await ExpectOnlyAfricaAsync(page);
    }

    [Fact]
    public async Task TheSearchBoxFiltersTheTableByName()
    {
        var page = await OpenAsync(DashboardPage.Path);

        await page.Locator("input#q").FillAsync("nig");
        await page.Locator("input#q").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]q=nig(&|$)"));
        await Expect(DashboardPage.Names(page)).ToHaveTextAsync(["Niger", "Nigeria"]);
        await Expect(page.Locator("input#q")).ToHaveValueAsync("nig");
    }

    [Fact]
    public async Task TheCountryPageOpensFromTheTable()
    {
        var page = await OpenAsync(DashboardPage.Path);
        var firstRow = DashboardPage.Rows(page).First;
        var iso3 = await firstRow.GetAttributeAsync("data-iso3");
        var name = await firstRow.Locator("th a").InnerTextAsync();

        await firstRow.Locator("th a").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/operations/liberterra-iii/countries/{iso3}$"));
        await Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Expect(page.Locator("table#history")).ToBeVisibleAsync();
        await Expect(page.Locator("table#history tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#country-figures")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheCountryTableDownloadsAsCsvWithEveryCountryAndTheArrestsTotal()
    {
        var page = await OpenAsync(DashboardPage.Path);

        var file = await DownloadAsync(page.Locator("a#export-countries"));

        file.FileName.Should().Be("liberterra-iii-countries.csv");
        var records = Csv.Parse(file.Text);
        var header = records[0];
        header.Should().StartWith(["country", "name", "region"]);
        var rows = records.Skip(1).ToList();
        rows.Should().HaveCount(DashboardPage.ParticipatingCountries).And.OnlyContain(row => row.Length == header.Length);
        var arrests = Array.IndexOf(header, "arrests");
        arrests.Should().BePositive("the header names an arrests column");
        rows.Sum(row => row[arrests].Length == 0 ? 0 : long.Parse(row[arrests], System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(3744);
    }

    [Fact]
    public async Task TheTimelineDownloadsAsCsvWithOneRowPerDay()
    {
        var page = await OpenAsync(DashboardPage.Path);

        var file = await DownloadAsync(page.Locator("a#export-timeline"));

        file.FileName.Should().Be("liberterra-iii-timeline.csv");
        var records = Csv.Parse(file.Text);
        records[0].Should().StartWith(["date", "countriesReporting"]);
        // Whole-operation returns, if any, follow as a row dated "all"; the days are 10 to 21 November 2025.
        var days = records.Skip(1).Select(row => row[0]).Where(date => date != "all");
        days.Should().Equal(Enumerable.Range(10, 12).Select(day => $"2025-11-{day}"));
    }

    [Fact]
    public async Task PrintingHidesTheNavigationAndFormsButKeepsTheCards()
    {
        var page = await OpenAsync(DashboardPage.Path);
        await Expect(page.Locator("form#country-filter")).ToBeVisibleAsync();

        // An A4 page's width at 96 dpi, so the screenshot shows the layout paper gets, not a 1280-pixel-wide sheet.
        await page.SetViewportSizeAsync(794, 1123);
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Expect(page.Locator(".site-header nav")).ToBeHiddenAsync();
        await Expect(page.Locator("nav.subnav")).ToBeHiddenAsync();
        await Expect(page.Locator("form#country-filter")).ToBeHiddenAsync();
        await Expect(page.Locator("form.metric-picker")).ToBeHiddenAsync();
        await Expect(page.Locator(".card")).ToHaveCountAsync(1 + DataSetTemplates.TraffickingSmuggling.TopLevel.Count()); // the countries card, then one per top-level indicator
        foreach (var card in await page.Locator(".card").AllAsync())
        {
            await Expect(card).ToBeVisibleAsync();
        }

        await Expect(page.Locator("[data-metric=arrests] .value")).ToHaveTextAsync("3,744");
        // The charts' data tables sit in closed <details> on screen; on paper there is nothing to click, so they print open.
        await Expect(page.Locator("figure#regions details table")).ToBeVisibleAsync();
        await Expect(page.Locator("figure#timeline details table")).ToBeVisibleAsync();
        await Expect(page.Locator("figure#breakdown-victimsByExploitation details table")).ToBeVisibleAsync();
        await ScreenshotAsync("dashboard-print");
    }

    /// <summary>Shared with the no-JavaScript test: the table, the select and the address after filtering on Africa.</summary>
    internal static async Task ExpectOnlyAfricaAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]region=Africa(&|$)"));
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Expect(page.Locator("select#region")).ToHaveValueAsync("Africa");
        var regions = await DashboardPage.Regions(page).AllInnerTextsAsync();
        regions.Should().NotBeEmpty().And.OnlyContain(region => region == "Africa");
        regions.Count.Should().BeLessThan(DashboardPage.ParticipatingCountries);
        await Expect(page.Locator("#row-count")).ToContainTextAsync($"{regions.Count} of ");
    }

    private static Regex SortedByArrests(string direction) => new($"[?&]sort=arrests&dir={direction}(&|$)");

    private static void ExpectBlanksLast(List<long?> figures)
    {
        var firstBlank = figures.IndexOf(null);
        if (firstBlank >= 0)
        {
            figures.Skip(firstBlank).Should().OnlyContain(figure => figure == null, "not reported sorts last in both directions");
        }
    }
}

/// <summary>The same filter with JavaScript off: nothing submits on change, so the Filter button does it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardWithoutJavaScriptTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions => new() { JavaScriptEnabled = false };

    [Fact]
    public async Task ChoosingARegionAndClickingFilterFiltersTheTable()
    {
        var page = await OpenAsync(DashboardPage.Path);

        await page.Locator("select#region").SelectOptionAsync("Africa");
        await page.Locator("form#country-filter button[type=submit]").ClickAsync();

        await DashboardBrowserTests.ExpectOnlyAfricaAsync(page);
    }
}
