using AngleSharp.Html.Parser;
using Liberterra.Core.Security;

namespace Liberterra.Web.Tests;

/// <summary>
/// The dashboard in Production beyond who may open what (that is <see cref="AuthorizationMatrixTests"/>): the page cache
/// never crosses users, and no anonymous-reads banner is shown.
/// </summary>
public sealed class DashboardAccessTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly LiberterraApp app = LiberterraApp.Production();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task ACachedPageIsNeverServedToAnotherUserOrToAnonymousVisitors()
    {
        await app.AddUserAsync("ana@example.org", Password);
        await app.AddUserAsync("root@example.org", Password, Role.Admin);
        var ana = app.Browser();
        var root = app.Browser();
        await ana.SignInAsync("ana@example.org", Password);
        await root.SignInAsync("root@example.org", Password);

        const string path = "/operations/liberterra-iii";
        string Account(string html) => new HtmlParser().ParseDocument(html).QuerySelector(".account")!.TextContent;
        Account(await ana.GetStringAsync(path)).Should().Contain("ana@example.org");
        Account(await root.GetStringAsync(path)).Should().Contain("root@example.org").And.NotContain("ana@");
        Account(await ana.GetStringAsync(path)).Should().Contain("ana@example.org");
        (await app.Browser().GetAsync(path)).IsSignInRedirect().Should().BeTrue("a page cached for a user is not served to a stranger");

        await app.DisableUserAsync("ana@example.org");
        await Revocation.PastTheBoundAsync();
        (await ana.GetAsync(path)).IsSignInRedirect().Should().BeTrue("disabling a user ends their session, cached page or not");
    }

    [Fact]
    public async Task ProductionShowsNoAnonymousReadsBanner()
    {
        await app.AddUserAsync("analyst@example.org", Password);
        var browser = app.Browser();
        await browser.SignInAsync("analyst@example.org", Password);

        var document = new HtmlParser().ParseDocument(await browser.GetStringAsync("/operations/liberterra-iii"));
        document.QuerySelector(".banner").Should().BeNull();
        document.QuerySelector(".card[data-metric='arrests'] .value")!.TextContent.Should().Be("3,744");
    }
}
