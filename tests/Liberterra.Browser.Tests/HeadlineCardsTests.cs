using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Liberterra.Browser.Tests;

/// <summary>
/// The headline cards of the latest operation, as a visitor's browser shows them after "/" redirects to its dashboard.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HeadlineCardsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task TheHomePageShowsLiberterraThreesPublishedTotals()
    {
        var page = await OpenAsync("/");

        await ExpectPublishedTotalsAsync(page);
        await ScreenshotAsync("home");
        await AssertNoConsoleErrorsAsync();
    }

    internal static async Task ExpectPublishedTotalsAsync(IPage page)
    {
        await Expect(page.Locator("[data-metric=arrests] .value")).ToHaveTextAsync("3,744");
        await Expect(page.Locator("[data-metric=victimsSafeguarded] .value")).ToHaveTextAsync("4,414");
        await Expect(page.Locator("[data-metric=irregularMigrants] .value")).ToHaveTextAsync("12,992");
        await Expect(page.Locator("[data-metric=countries] .value")).ToContainTextAsync("119");

        // Liberterra III never published a count of flights monitored: its card is there, and says so rather than 0.
        await Expect(page.Locator(".card[data-metric=flightsMonitored] .value")).ToHaveTextAsync("n/r");
    }
}

/// <summary>The figures are in the HTML itself, so a browser without JavaScript (or with it blocked) still shows them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HeadlineCardsWithoutJavaScriptTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions => new() { JavaScriptEnabled = false };

    [Fact]
    public async Task TheHomePageShowsTheSameTotalsWithJavaScriptSwitchedOff()
    {
        var page = await OpenAsync("/");

        await HeadlineCardsTests.ExpectPublishedTotalsAsync(page);
        await ScreenshotAsync("home-no-javascript");
        await AssertNoConsoleErrorsAsync();
    }
}
