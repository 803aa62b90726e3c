using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Caching;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// Two instances of the app on one database, as behind a load balancer: writes go through A, reads through B. B holds
/// roll-ups and rendered pages in memory, so its figures may lag A's writes, but only by the documented bound
/// (<see cref="AggregateCacheRefresh"/>), which these tests measure and print. Sign-ins and keys work on both, and a key
/// revoked or a user disabled with the CLI stops working on both within the bound of <see cref="Revocation"/>.
/// </summary>
public sealed class MultiInstanceTests(MultiInstanceFixture fixture, ITestOutputHelper output) : IClassFixture<MultiInstanceFixture>
{
    private const string Password = "correct horse battery staple";

    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private LiberterraApp A => fixture.A;

    private LiberterraApp B => fixture.B;

    /// <summary>How long B may take to show another instance's write: its refresh interval, plus slack for a busy test machine.</summary>
    private TimeSpan Limit => B.Services.GetRequiredService<IOptions<CacheSettings>>().Value.Refresh + Slack;

    [Fact]
    public async Task AReturnWrittenThroughAReachesBsTotalsWithinTheRefreshInterval()
    {
        var code = await fixture.NewOperationAsync();
        using var readerOnB = B.ClientWithKey(fixture.AdminKey);
        (await readerOnB.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().BeNull("nothing is reported yet, and B now holds that");

        using var writerOnA = A.ClientWithKey(fixture.SpainKey);
        (await PostReturnAsync(writerOnA, code, Return("ESP", ApiDrill.StartDate, arrests: 17))).StatusCode.Should().Be(HttpStatusCode.Created);

        var delay = await DelayUntilAsync(async () => (await readerOnB.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests") == 17);
        output.WriteLine($"{TestDatabase.Provider}: B's totals showed A's return after {delay.TotalMilliseconds:0} ms (limit {Limit.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task AWriteThroughAIsDroppedFromAsCacheOnceNotAgainByItsOwnPoll()
    {
        var code = await fixture.NewOperationAsync();
        var interval = A.Services.GetRequiredService<IOptions<CacheSettings>>().Value.Refresh;
        await Task.Delay(interval * 2); // a poll that meets a new operation forgets everything, by design; let it pass
        using var writerOnA = A.ClientWithKey(fixture.SpainKey);
        using var readerOnA = A.ClientWithKey(fixture.AdminKey);
        (await PostReturnAsync(writerOnA, code, Return("ESP", ApiDrill.StartDate, arrests: 3))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await readerOnA.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(3, "the write dropped A's roll-up at once");

        var cache = A.Services.GetRequiredService<AggregateCache>();
        var generation = cache.Generation;
        await Task.Delay(interval * 3);
        cache.Generation.Should().Be(generation, "A's polls see the revision its own write raised, which its roll-up already reflects");
    }

    [Fact]
    public async Task AnAmendmentThroughAReachesBsCachedDashboardPageWithinTheRefreshInterval()
    {
        var code = await fixture.NewOperationAsync();
        using var writerOnA = A.ClientWithKey(fixture.SpainKey);
        (await PostReturnAsync(writerOnA, code, Return("ESP", ApiDrill.StartDate, arrests: 5))).StatusCode.Should().Be(HttpStatusCode.Created);
        using var browserOnB = B.Browser();
        (await browserOnB.SignInAsync(await fixture.NewUserAsync(), Password)).AuthCookieHeader().Should().NotBeNull();
        await DelayUntilAsync(async () => await ArrestsCardAsync(browserOnB, code) == "5");
        (await ArrestsCardAsync(browserOnB, code)).Should().Be("5", "B renders the page once and serves it from its output cache after that");

        (await PostReturnAsync(writerOnA, code, Return("ESP", ApiDrill.StartDate, arrests: 1234))).StatusCode.Should().Be(HttpStatusCode.OK);

        var delay = await DelayUntilAsync(async () => await ArrestsCardAsync(browserOnB, code) == "1,234");
        output.WriteLine($"{TestDatabase.Provider}: B's dashboard page showed A's amendment after {delay.TotalMilliseconds:0} ms (limit {Limit.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task AnOperationCreatedThroughAReachesBsCachedComparePageWithinTheRefreshInterval()
    {
        using var browserOnB = B.Browser();
        (await browserOnB.SignInAsync(await fixture.NewUserAsync(), Password)).AuthCookieHeader().Should().NotBeNull();
        (await browserOnB.GetStringAsync("/compare")).Should().Contain("liberterra-iii");

        var code = await fixture.NewOperationAsync();

        var delay = await DelayUntilAsync(async () => (await browserOnB.GetStringAsync("/compare")).Contains(code, StringComparison.Ordinal));
        output.WriteLine($"{TestDatabase.Provider}: B's compare page listed A's new operation after {delay.TotalMilliseconds:0} ms (limit {Limit.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task AfterAFinalizesAWriteThroughBIsRefusedAtOnceAndAfterAReopensItIsAcceptedAtOnce()
    {
        var code = await fixture.NewOperationAsync();
        using var adminOnB = B.ClientWithKey(fixture.AdminKey);
        (await adminOnB.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("open");
        using var adminOnA = A.ClientWithKey(fixture.AdminKey);
        using var writerOnB = B.ClientWithKey(fixture.SpainKey);

        (await adminOnA.PostAsync($"/api/v1/operations/{code}/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await PostReturnAsync(writerOnB, code, Return("ESP", ApiDrill.StartDate))).ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final");

        (await adminOnA.PostAsync($"/api/v1/operations/{code}/reopen", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PostReturnAsync(writerOnB, code, Return("ESP", ApiDrill.StartDate))).StatusCode.Should().Be(HttpStatusCode.Created,
            "the check is made on the operation's row inside the write's transaction, never on a cached copy");
    }

    [Fact]
    public async Task ASignInCookieMadeByAOpensTheDashboardOnB()
    {
        var email = await fixture.NewUserAsync();
        using var browserOnA = A.Browser();
        using var signIn = await browserOnA.SignInAsync(email, Password);
        var cookie = signIn.AuthCookieHeader();
        cookie.Should().NotBeNull();

        using var clientOnB = B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operations/liberterra-iii");
        request.Headers.Add("Cookie", cookie!.Split(';')[0]);
        using var page = await clientOnB.SendAsync(request);

        page.StatusCode.Should().Be(HttpStatusCode.OK, "B reads the cookie with the key A protected it with");
        new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync())
            .QuerySelector(".card[data-metric='arrests'] .value")!.TextContent.Trim().Should().Be("3,744");
    }

    [Fact]
    public async Task TheAntiForgeryTokenOfAsSignInFormIsAcceptedByB()
    {
        var email = await fixture.NewUserAsync();
        using var clientOnA = A.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var form = await clientOnA.GetAsync(DashboardSignIn.SignInPath);
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Split(';')[0];
        var token = new HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync())
            .QuerySelector("form input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        using var clientOnB = B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var post = new HttpRequestMessage(HttpMethod.Post, DashboardSignIn.SignInPath)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Password"] = Password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        using var signedIn = await clientOnB.SendAsync(post);

        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect, "a refused token would be a 400");
        signedIn.AuthCookieHeader().Should().NotBeNull();
    }

    [Fact]
    public async Task TheDataProtectionKeysAreRowsInTheDatabaseAndBothInstancesUseTheSameOnes()
    {
        await using var db = A.Database.Context();
        var stored = await db.DataProtectionKeys.AsNoTracking().ToListAsync();

        stored.Should().NotBeEmpty();
        var storedIds = stored.Select(k => XElement.Parse(k.Xml!)).Where(x => x.Name == "key").Select(x => Guid.Parse(x.Attribute("id")!.Value)).ToList();
        storedIds.Should().NotBeEmpty();
        stored.Should().OnlyContain(k => k.FriendlyName != null && k.FriendlyName.StartsWith("key-", StringComparison.Ordinal));
        foreach (var app in new[] { A, B })
        {
            app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository.Should().BeOfType<EntityFrameworkCoreXmlRepository<LiberterraDbContext>>(
                "the default would be a folder on one machine");
            app.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).Should().BeEquivalentTo(storedIds);
        }
    }

    [Fact]
    public async Task AKeyRevokedWithTheCliIsRefusedOnBothInstancesWithinASecond()
    {
        var key = await A.IssueKeyAsync(Role.Analyst, label: "revoked while in use on A and B");
        using var onA = A.ClientWithKey(key);
        using var onB = B.ClientWithKey(key);

        async Task<bool> Accepted(string instance)
        {
            using var response = await (instance == "A" ? onA : onB).GetAsync("/api/v1/operations/liberterra-iii/totals");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
            return false;
        }

        await RefusedOnBothWithinTheBoundAsync("the revoked key", Accepted, () => A.RevokeKeyAsync(key));
    }

    [Fact]
    public async Task AUserDisabledWithTheCliLosesTheirSessionOnBothInstancesWithinASecond()
    {
        var email = await fixture.NewUserAsync();
        using var browserOnA = A.Browser();
        using var signIn = await browserOnA.SignInAsync(email, Password);
        var cookie = signIn.AuthCookieHeader()?.Split(';')[0];
        cookie.Should().NotBeNull();
        using var onA = A.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var onB = B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        // The same old cookie every time, as a client that ignores the sign-out's Set-Cookie would send it.
        async Task<bool> Accepted(string instance)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/operations/liberterra-iii");
            request.Headers.Add("Cookie", cookie);
            using var response = await (instance == "A" ? onA : onB).SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            response.IsSignInRedirect().Should().BeTrue($"a refused session is sent to sign in, not answered {response.StatusCode}");
            return false;
        }

        await RefusedOnBothWithinTheBoundAsync("the disabled user's cookie", Accepted, () => A.DisableUserAsync(email));
    }

    /// <summary>
    /// The credential works on both instances; <paramref name="revoke"/> runs the CLI; requests go on to both, in turn,
    /// until a little past <see cref="Revocation.Bound"/>, and any accepted more than the bound after the CLI returned
    /// fails the test; then several more go to each instance, and every one must be refused.
    /// </summary>
    private async Task RefusedOnBothWithinTheBoundAsync(string what, Func<string, Task<bool>> accepted, Func<Task> revoke)
    {
        string[] instances = ["A", "B"];
        foreach (var instance in instances)
        {
            (await accepted(instance)).Should().BeTrue($"{what} works on {instance} before the CLI runs, so {instance} holds it as valid");
        }

        await revoke();
        var revoked = Stopwatch.GetTimestamp();
        var firstRefused = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (Stopwatch.GetElapsedTime(revoked) < Revocation.Bound + TimeSpan.FromMilliseconds(100))
        {
            foreach (var instance in instances)
            {
                var sentAfter = Stopwatch.GetElapsedTime(revoked);
                if (await accepted(instance))
                {
                    sentAfter.Should().BeLessThan(Revocation.Bound, $"{instance} accepted {what} {sentAfter.TotalMilliseconds:0} ms after the CLI ran");
                }
                else
                {
                    firstRefused.TryAdd(instance, sentAfter);
                }
            }

            await Task.Delay(20);
        }

        for (var i = 0; i < 5; i++)
        {
            foreach (var instance in instances)
            {
                var sentAfter = Stopwatch.GetElapsedTime(revoked);
                (await accepted(instance)).Should().BeFalse($"more than a second after the CLI ran, {instance} must refuse {what}");

                // On a loaded machine one slow page can outlast the whole window; the report below then names this refusal.
                firstRefused.TryAdd(instance, sentAfter);
            }
        }

        output.WriteLine($"{TestDatabase.Provider}: {what} was first refused by A after {firstRefused["A"].TotalMilliseconds:0} ms and by B after "
            + $"{firstRefused["B"].TotalMilliseconds:0} ms (bound {Revocation.Bound.TotalMilliseconds:0} ms)");
    }

    private static async Task<string> ArrestsCardAsync(HttpClient browser, string code)
    {
        using var page = await browser.GetAsync($"/operations/{code}");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        return new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync())
            .QuerySelector(".card[data-metric='arrests'] .value")!.TextContent.Trim();
    }

    /// <summary>Polls until the condition holds, failing past <see cref="Limit"/>, and returns how long that took.</summary>
    private async Task<TimeSpan> DelayUntilAsync(Func<Task<bool>> condition)
    {
        var limit = Limit;
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            Stopwatch.GetElapsedTime(started).Should().BeLessThan(limit, "another instance's write must show within the refresh interval");
            await Task.Delay(10);
        }

        return Stopwatch.GetElapsedTime(started);
    }
}

/// <summary>
/// Instance A on a new database, then instance B on the same one (Production, so every read needs a key or a sign-in).
/// A starts first, so it makes the Data Protection key that B then reads, as the first instance of a deployment does.
/// </summary>
public sealed class MultiInstanceFixture : IAsyncLifetime, IDisposable
{
    private int operations;
    private ApiDrill keys = null!;

    public LiberterraApp A { get; } = LiberterraApp.Production();

    public LiberterraApp B { get; private set; } = null!;

    public string AdminKey => keys.AdminKey;

    public string SpainKey => keys.UnitKeys["ESP"];

    public async Task InitializeAsync()
    {
        keys = await ApiDrill.CreateAsync(A, code: null, units: ["ESP"]);
        B = new LiberterraApp(A.Database) { EnvironmentName = A.EnvironmentName, Settings = A.Settings };
        _ = B.Services;
    }

    /// <summary>Creates an open operation through A (see <see cref="ApiDrill.CreateOperationAsync"/>).</summary>
    public async Task<string> NewOperationAsync()
    {
        using var admin = keys.Admin;
        return await ApiDrill.CreateOperationAsync(admin, $"shared-{Interlocked.Increment(ref operations).ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Adds an analyst through A and returns the email.</summary>
    public async Task<string> NewUserAsync()
    {
        var email = $"analyst{Guid.NewGuid():N}@example.org";
        await A.AddUserAsync(email, "correct horse battery staple");
        return email;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        B?.Dispose();
        A.Dispose();
    }
}
