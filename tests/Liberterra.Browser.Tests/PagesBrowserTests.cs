using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Liberterra.Browser.Tests;

/// <summary>
/// Every page of the dashboard opens in Chromium without a console error (which includes any breach of the strict
/// Content-Security-Policy the pages are sent with), and leaves a full-page screenshot to look at.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData("/", "home", "/operations/liberterra-iii")]
    [InlineData("/operations/liberterra-iii", "dashboard", null)]
    [InlineData("/operations/liberterra-iii/countries/MMR", "country", null)]
    [InlineData("/operations/liberterra-iii/completeness", "completeness", null)]
    [InlineData("/operations/liberterra-iii/press", "press", null)]
    [InlineData("/reconciliation", "reconciliation", null)]
    [InlineData("/compare", "compare", null)]
    public async Task EveryPageOpensWithoutConsoleErrors(string path, string name, string? endsAt)
    {
        var page = await OpenAsync(path);

        await Expect(page).ToHaveURLAsync(new Regex($"{Regex.Escape(endsAt ?? path)}$"));
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await ScreenshotAsync(name);
        await AssertNoConsoleErrorsAsync();
    }

    [Fact]
    public async Task TabFromTheTopFocusesTheSkipLinkWhichSkipsToTheContent()
    {
        var page = await OpenAsync(DashboardPage.Path);

        await page.Keyboard.PressAsync("Tab");

        var skip = page.Locator("a.skip");
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();

        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("#content$"));
        await Expect(page.Locator("main#content")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)")).Should().BeTrue("the next Tab stays past the site navigation");
    }
}

/// <summary>The press summary's sentences, and its copy button, which only JavaScript shows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PressSummaryBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Path = "/operations/liberterra-iii/press";

    protected override BrowserNewContextOptions ContextOptions => new() { Permissions = ["clipboard-read", "clipboard-write"] };

    [Fact]
    public async Task ThePressSummaryGivesTheRoundedHeadlineFigures()
    {
        var page = await OpenAsync(Path);

        var sentences = page.Locator("#press-summary p");
        await Expect(sentences.Nth(0)).ToContainTextAsync("Police in 119 countries took part");
        await Expect(sentences.Filter(new() { HasText = "More than 3,700 people were arrested" })).ToHaveCountAsync(1);
        await Expect(sentences.Filter(new() { HasText = "More than 4,400 potential victims" })).ToHaveCountAsync(1);
        await Expect(sentences.Filter(new() { HasText = "More than 12,900 irregular migrants" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task TheCopyButtonCopiesTheSummaryToTheClipboard()
    {
        var page = await OpenAsync(Path);
        var button = page.Locator("button#copy-summary");
        await Expect(button).ToBeVisibleAsync();

        await button.ClickAsync();

        await Expect(page.Locator("#copy-status")).ToHaveTextAsync("Copied.");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        copied.Should().Contain("More than 3,700 people were arrested").And.Contain("Police in 119 countries");
    }
}

/// <summary>Without JavaScript there is nothing to copy with, so the button stays hidden; the summary is still there.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PressSummaryWithoutJavaScriptTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions => new() { JavaScriptEnabled = false };

    [Fact]
    public async Task TheCopyButtonStaysHiddenButTheSummaryIsThere()
    {
        var page = await OpenAsync("/operations/liberterra-iii/press");

        await Expect(page.Locator("#press-summary p").First).ToContainTextAsync("Police in 119 countries took part");
        await Expect(page.Locator("button#copy-summary")).ToBeHiddenAsync();
    }
}

/// <summary>The dashboard on a phone-sized screen: everything fits its width; wide tables scroll in their own box.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneViewportTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions => new()
    {
        ViewportSize = new() { Width = 375, Height = 812 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
    };

    [Fact]
    public async Task TheDashboardFitsAPhoneScreenWithoutScrollingSideways()
    {
        var page = await OpenAsync(DashboardPage.Path);
        await Expect(page.Locator("[data-metric=arrests] .value")).ToHaveTextAsync("3,744");

        await ScreenshotAsync("dashboard-phone");

        var overflow = await page.EvaluateAsync<OverflowReport>("""
            () => {
              const width = window.innerWidth;
              // Elements sticking out past the right edge, ignoring those inside a box that scrolls or clips them.
              const clipped = (el) => {
                for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                  const o = getComputedStyle(p).overflowX;
                  if (o !== 'visible') return true;
                }
                return false;
              };
              const culprits = [...document.body.querySelectorAll('*')]
                .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
                .slice(0, 10)
                .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
              return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits };
            }
            """);

        overflow.ScrollWidth.Should().BeLessThanOrEqualTo(overflow.InnerWidth + 1,
            "the page should not scroll sideways at {0}px; overflowing: {1}", overflow.InnerWidth, string.Join("; ", overflow.Culprits));
    }

    private sealed class OverflowReport
    {
        public int ScrollWidth { get; set; }

        public int InnerWidth { get; set; }

        public string[] Culprits { get; set; } = [];
    }
}
