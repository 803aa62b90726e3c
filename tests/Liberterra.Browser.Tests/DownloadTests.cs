using static Microsoft.Playwright.Assertions;

namespace Liberterra.Browser.Tests;

/// <summary>
/// The download helper itself, on a link the test adds (no page offers a download yet), so that the first real
/// export test can rely on it working here, headless and offline.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DownloadTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task ClickingADownloadLinkReturnsTheFilesNameAndText()
    {
        var page = await OpenAsync("/");
        await page.EvaluateAsync("""
            () => {
                const link = document.createElement('a');
                link.id = 'download-totals';
                link.href = '/api/v1/operations/liberterra-iii/totals';
                link.download = 'liberterra-iii-totals.json';
                link.textContent = 'Download totals';
                document.body.append(link);
            }
            """);
        await Expect(page.Locator("#download-totals")).ToBeVisibleAsync();

        var file = await DownloadAsync(page.Locator("#download-totals"));

        file.FileName.Should().Be("liberterra-iii-totals.json");
        file.Text.Should().Contain("\"arrests\":3744");
    }
}
