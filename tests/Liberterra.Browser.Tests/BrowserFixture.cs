using Microsoft.Playwright;

namespace Liberterra.Browser.Tests;

/// <summary>
/// One app and one headless Chromium for the whole run: both take seconds to start, a browser context per test
/// takes milliseconds and keeps tests apart (cookies, storage, downloads).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public BrowserApp App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The repository root (where Liberterra.sln is), so screenshots land in one known place.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        App.Start();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            // Running as root (CI) needs --no-sandbox; the network flags stop Chromium calling Google's servers,
            // which this machine's closed network refuses.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>
    /// Debian's Chromium, never a browser Playwright downloads (it cannot here). Missing Chromium fails every
    /// browser test with this message rather than skipping them, so a green run always means they ran.
    /// </summary>
    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("LIBERTERRA_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"The browser tests need Chromium at {path}, and there is none. Run ./test.sh from the repository root: " +
                "it installs Debian's chromium package (apt-get install chromium). Or set LIBERTERRA_CHROMIUM to a Chromium binary.");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Liberterra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Liberterra.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    /// <summary>Every browser test class carries [Collection(BrowserCollection.Name)] to share the one fixture.</summary>
    public const string Name = "Browser";
}
