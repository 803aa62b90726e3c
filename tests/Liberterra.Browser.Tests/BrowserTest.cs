using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Liberterra.Browser.Tests;

/// <summary>
/// Base of every browser test: a fresh browser context per test, pages opened on the shared app, and a record of
/// what went wrong in the page (console errors, uncaught exceptions) that fails the test when it ends.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> consoleErrors = new();
    private readonly List<IPage> pages = [];
    private IBrowserContext? context;

    protected BrowserFixture Fixture { get; } = fixture;

    /// <summary>The page <see cref="OpenAsync"/> opened last.</summary>
    protected IPage Page => pages.Count > 0 ? pages[^1] : throw new InvalidOperationException("No page opened yet; call OpenAsync first.");

    /// <summary>Options for this test's browser context; override to switch off JavaScript, change the viewport, etc.</summary>
    protected virtual BrowserNewContextOptions ContextOptions => new();

    public async Task InitializeAsync()
    {
        var options = ContextOptions;
        options.BaseURL = Fixture.App.BaseAddress.ToString();
        options.AcceptDownloads = true;
        context = await Fixture.Browser.NewContextAsync(options);
    }

    /// <summary>Closes the context and fails the test if any page logged an error it did not assert on.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            await AssertNoConsoleErrorsAsync();
        }
        finally
        {
            if (context is not null)
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> (relative to the app, redirects followed) in a new page and waits for its load
    /// event. Console errors and uncaught exceptions of the page are recorded from before it starts loading.
    /// </summary>
    protected async Task<IPage> OpenAsync(string path)
    {
        var page = await context!.NewPageAsync();
        pages.Add(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Enqueue($"console error on {page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => consoleErrors.Enqueue($"uncaught exception on {page.Url}: {error}");

        var response = await page.GotoAsync(path);
        response.Should().NotBeNull($"opening {path} should load a page");
        response!.Ok.Should().BeTrue($"{path} (ending at {page.Url}) answered {response.Status} {response.StatusText}");
        return page;
    }

    /// <summary>Fails if any page of this test logged a console error or threw an uncaught exception so far.</summary>
    protected async Task AssertNoConsoleErrorsAsync()
    {
        // A round trip to each page first, so messages the browser sent before now have all been received.
        foreach (var page in pages.Where(page => !page.IsClosed))
        {
            await page.WaitForLoadStateAsync(LoadState.Load);
        }

        // Taken off the queue, so an error fails the test once, not again in DisposeAsync.
        var errors = new List<string>();
        while (consoleErrors.TryDequeue(out var error))
        {
            errors.Add(error);
        }

        errors.Should().BeEmpty("the pages should run without console errors or uncaught exceptions");
    }

    /// <summary>
    /// Saves a full-page PNG of <paramref name="page"/> (default: the last opened) to
    /// TestResults/screenshots/&lt;name&gt;.png at the repository root, and returns its path.
    /// </summary>
    protected async Task<string> ScreenshotAsync(string name, IPage? page = null)
    {
        var path = Path.Combine(BrowserFixture.RepositoryRoot, "TestResults", "screenshots", $"{name}.png");
        await (page ?? Page).ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Clicks <paramref name="link"/>, waits for the download it starts and returns the file's name and text.</summary>
    protected static async Task<DownloadedFile> DownloadAsync(ILocator link)
    {
        var download = await link.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        if (await download.FailureAsync() is { } failure)
        {
            throw new InvalidOperationException($"Downloading {download.Url} failed: {failure}");
        }

        await using var stream = await download.CreateReadStreamAsync();
        using var reader = new StreamReader(stream);
        return new DownloadedFile(download.SuggestedFilename, await reader.ReadToEndAsync());
    }
}

/// <summary>A file the browser downloaded: the name it would save it under, and its content.</summary>
public sealed record DownloadedFile(string FileName, string Text);
