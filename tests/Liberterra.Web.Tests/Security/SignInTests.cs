using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Pages.Account;
using Liberterra.Web.Security;
using Liberterra.Web.Settings;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Tests;

/// <summary>
/// Signing in to the dashboard in Production: who gets in, the one generic refusal, the account lockout in the
/// database, the per-client throttle, anti-forgery, where a sign-in may send the browser, and what reaches the logs.
/// </summary>
public sealed class SignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    private const string Password = "correct horse battery staple";

    private LiberterraApp App => fixture.App;

    private async Task<string> NewUserAsync(Role role = Role.Analyst)
    {
        var email = $"user{Guid.NewGuid():N}@example.org";
        await App.AddUserAsync(email, Password, role);
        return email;
    }

    private Task<UserRecord> StoredAsync(string email) => StoredAsync(App, email);

    private static async Task<UserRecord> StoredAsync(LiberterraApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }

    [Fact]
    public async Task InProductionTheHomePageSendsAnAnonymousVisitorToSignIn()
    {
        using var browser = App.Browser();

        using var response = await browser.GetAsync("/");

        response.IsSignInRedirect().Should().BeTrue(response.Headers.Location?.ToString());
        response.Headers.Location!.Query.Should().Be("?ReturnUrl=%2F");
    }

    [Fact]
    public async Task InDevelopmentAnyoneMayReadTheDashboardWithoutSigningIn()
    {
        using var app = new LiberterraApp { EnvironmentName = "Development" };
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith(DashboardSignIn.SignInPath);
    }

    [Theory]
    [InlineData(Role.Analyst)]
    [InlineData(Role.Admin)]
    public async Task AnAnalystOrAnAdminWithTheRightPasswordGetsAnHttpOnlySessionCookieAndTheDashboard(Role role)
    {
        var email = await NewUserAsync(role);
        using var browser = App.Browser();

        using var signIn = await browser.SignInAsync(email, Password);

        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.Should().Be("/");
        var cookie = signIn.AuthCookieHeader();
        cookie.Should().NotBeNull().And.Contain("httponly").And.Contain("samesite=lax").And.Contain("path=/");
        cookie.Should().NotContain("expires=", "it is a session cookie; the ticket inside expires after 8 hours without use");
        using var home = await browser.GetAsync("/");
        home.OpensTheDashboard().Should().BeTrue($"{home.StatusCode} {home.Headers.Location}");
        var signOutPage = new HtmlParser().ParseDocument(await browser.GetStringAsync("/account/sign-out"));
        signOutPage.QuerySelector("main")!.TextContent.Should().Contain($"signed in as {email}");
    }

    [Fact]
    public async Task TheEmailIsMatchedWhateverItsCaseAndSurroundingSpaces()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();

        using var signIn = await browser.SignInAsync($"  {email.ToUpperInvariant()} ", Password);

        signIn.AuthCookieHeader().Should().NotBeNull();
    }

    [Fact]
    public async Task AWrongPasswordShowsTheGenericRefusalAndSetsNoCookie()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();

        using var signIn = await browser.SignInAsync(email, Password + "!");

        signIn.StatusCode.Should().Be(HttpStatusCode.OK);
        (await signIn.SignInErrorAsync()).Should().Be(SignInModel.Refusal);
        signIn.AuthCookieHeader().Should().BeNull();
        (await signIn.Content.ReadAsStringAsync()).Should().NotContain(Password, "the password is not echoed back");
        using var home = await browser.GetAsync("/");
        home.IsSignInRedirect().Should().BeTrue();
        (await StoredAsync(email)).FailedSignIns.Should().Be(1);
    }

    [Fact]
    public async Task AnUnknownEmailAndADisabledAccountGetTheSameRefusalAsAWrongPassword()
    {
        var email = await NewUserAsync();
        var disabled = await NewUserAsync();
        await App.DisableUserAsync(disabled);

        using var browser = App.Browser();
        using var wrongPassword = await browser.SignInAsync(email, "not the password at all");
        using var unknownEmail = await browser.SignInAsync($"nobody{Guid.NewGuid():N}@example.org", Password);
        using var disabledAccount = await browser.SignInAsync(disabled, Password);

        foreach (var refused in new[] { wrongPassword, unknownEmail, disabledAccount })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.OK);
            (await refused.SignInErrorAsync()).Should().Be(SignInModel.Refusal);
            refused.AuthCookieHeader().Should().BeNull();
        }
    }

    [Fact]
    public async Task AnUnknownEmailTakesAboutAsLongToRefuseAsAWrongPassword()
    {
        // Fewer than five wrong passwords per account, so every one is refused as a wrong password, not as a lock.
        string[] accounts = [await NewUserAsync(), await NewUserAsync(), await NewUserAsync()];
        var signIn = App.Services.GetRequiredService<UserSignIn>();
        async Task<double> MillisecondsAsync(string email)
        {
            var started = Stopwatch.GetTimestamp();
            (await signIn.AttemptAsync(email, "wrong password", "timing", CancellationToken.None)).Principal.Should().BeNull();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        await MillisecondsAsync("warm-up@example.org"); // the stand-in hash is made on first use

        // Timed in pairs, the order swapped each time, and compared by median: load from other tests then slows both
        // kinds alike, where timing one kind in a block and then the other let a burst land on one kind only.
        List<double> unknown = [], wrongPassword = [];
        for (var pair = 0; pair < 9; pair++)
        {
            if (pair % 2 == 0)
            {
                unknown.Add(await MillisecondsAsync($"nobody{pair}@example.org"));
                wrongPassword.Add(await MillisecondsAsync(accounts[pair % accounts.Length]));
            }
            else
            {
                wrongPassword.Add(await MillisecondsAsync(accounts[pair % accounts.Length]));
                unknown.Add(await MillisecondsAsync($"nobody{pair}@example.org"));
            }
        }

        double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

        // Without the stand-in hash an unknown email is refused an order of magnitude faster than a wrong password.
        Median(unknown).Should().BeGreaterThan(Median(wrongPassword) / 2,
            $"unknown {string.Join(", ", unknown.Select(t => $"{t:0.0}"))} ms; wrong password {string.Join(", ", wrongPassword.Select(t => $"{t:0.0}"))} ms");
    }

    [Fact]
    public async Task AnUnknownEmailIsCheckedAgainstAHashThatCostsAsMuchAsARealOne()
    {
        var email = await NewUserAsync();
        var hasher = new RecordingHasher();
        var services = App.Services;
        using var signIn = new UserSignIn(services.GetRequiredService<IServiceScopeFactory>(), hasher, services.GetRequiredService<WriteGate>(),
            services.GetRequiredService<IOptions<SignInSettings>>(), services.GetRequiredService<ILogger<UserSignIn>>());

        (await signIn.AttemptAsync("nobody@example.org", "wrong password", "work", CancellationToken.None)).Principal.Should().BeNull();
        (await signIn.AttemptAsync(email, "wrong password", "work", CancellationToken.None)).Principal.Should().BeNull();

        // One verification each; a V3 hash starts with its format, PRF, iteration count and salt length (13 bytes),
        // so equal headers and lengths mean the same PBKDF2 work, whatever the machine's load.
        hasher.Verified.Should().HaveCount(2);
        var standIn = Convert.FromBase64String(hasher.Verified[0]);
        var real = Convert.FromBase64String(hasher.Verified[1]);
        hasher.Verified[1].Should().Be((await StoredAsync(email)).PasswordHash);
        standIn.Should().HaveSameCount(real);
        standIn[..13].Should().Equal(real[..13]);
        BinaryPrimitives.ReadUInt32BigEndian(real.AsSpan(5)).Should().BeGreaterThanOrEqualTo(100_000u, "the stored hash is not a cheap one");
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountInTheDatabaseSoEvenTheRightOneFailsUntilTheLockEnds()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await browser.SignInAsync(email, $"wrong password {attempt}");
            (await wrong.SignInErrorAsync()).Should().Be(SignInModel.Refusal);
        }

        using var right = await browser.SignInAsync(email, Password);

        (await right.SignInErrorAsync()).Should().Be(SignInModel.Refusal, "a locked account looks like any other refusal");
        right.AuthCookieHeader().Should().BeNull();
        var locked = await StoredAsync(email);
        locked.LockedUntil.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(15), TimeSpan.FromMinutes(1));
        App.LogLines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"Locked \"{email}\"", StringComparison.Ordinal));

        // The lock ends (as if 15 minutes had passed); the right password works again and clears the record.
        using (var scope = App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().Users.Where(u => u.Email == email)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockedUntil, DateTime.UtcNow.AddSeconds(-1)));
        }

        using var afterLock = await browser.SignInAsync(email, Password);
        afterLock.AuthCookieHeader().Should().NotBeNull();
        var cleared = await StoredAsync(email);
        cleared.LockedUntil.Should().BeNull();
        cleared.FailedSignIns.Should().Be(0);
    }

    [Fact]
    public async Task ASuccessfulSignInResetsTheCountOfFailures()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await browser.SignInAsync(email, "wrong password");
        }

        using (var right = await browser.SignInAsync(email, Password))
        {
            right.AuthCookieHeader().Should().NotBeNull();
        }

        (await StoredAsync(email)).FailedSignIns.Should().Be(0);
        using var oneMoreWrong = await App.Browser().SignInAsync(email, "wrong password");
        (await StoredAsync(email)).LockedUntil.Should().BeNull("the count started again after the success");
    }

    [Fact]
    public async Task TheLockIsKeptInTheDatabaseSoAnotherInstanceOnTheSameDatabaseHonoursIt()
    {
        var email = await NewUserAsync();
        using (var browser = App.Browser())
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                using var wrong = await browser.SignInAsync(email, "wrong password");
            }
        }

        using var second = new LiberterraApp(App.Database) { EnvironmentName = "Production" };
        using var right = await second.Browser().SignInAsync(email, Password);

        (await right.SignInErrorAsync()).Should().Be(SignInModel.Refusal);
        right.AuthCookieHeader().Should().BeNull();
    }

    [Fact]
    public async Task APostWithoutTheAntiForgeryTokenIsRefusedWith400()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();
        await browser.FormTokenAsync(DashboardSignIn.SignInPath); // the anti-forgery cookie alone is not enough

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        using var signIn = await browser.PostAsync(DashboardSignIn.SignInPath, form);

        signIn.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        signIn.AuthCookieHeader().Should().BeNull();
    }

    [Fact]
    public async Task SigningOutIsAFormPostThatClearsTheCookie()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();
        (await browser.SignInAsync(email, Password)).AuthCookieHeader().Should().NotBeNull();

        using (var noToken = await browser.PostAsync("/account/sign-out", new FormUrlEncodedContent([])))
        {
            noToken.StatusCode.Should().Be(HttpStatusCode.BadRequest, "another site cannot sign anyone out");
        }

        var token = await browser.FormTokenAsync("/account/sign-out");
        using var signOut = await browser.PostAsync("/account/sign-out",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signOut.Headers.Location!.OriginalString.Should().Be(DashboardSignIn.SignInPath);
        signOut.AuthCookieHeader().Should().NotBeNull().And.Contain("expires=Thu, 01 Jan 1970");
        using var home = await browser.GetAsync("/");
        home.IsSignInRedirect().Should().BeTrue();
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task ASignInNeverSendsTheBrowserToAnotherSite(string returnUrl)
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();

        using var signIn = await browser.SignInAsync(email, Password, returnUrl);

        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task ASignInReturnsToTheLocalPageThatAskedForIt()
    {
        var email = await NewUserAsync();
        using var browser = App.Browser();

        using var signIn = await browser.SignInAsync(email, Password, "/account/sign-out?from=test");

        signIn.Headers.Location!.OriginalString.Should().Be("/account/sign-out?from=test");
    }

    [Fact]
    public async Task FailedSignInsAreLoggedWithTheEmailAtWarningButNoPasswordIsEverLogged()
    {
        var email = await NewUserAsync();
        var wrongPassword = $"wrong-{Guid.NewGuid():N}";
        var unknown = $"nobody{Guid.NewGuid():N}@example.org";
        var unknownsPassword = $"unknowns-{Guid.NewGuid():N}";
        using var browser = App.Browser();

        foreach (var (who, password) in new[] { (email, wrongPassword), (unknown, unknownsPassword), (email, Password) })
        {
            using var response = await browser.SignInAsync(who, password);
        }

        var lines = App.LogLines.ToList();
        lines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"Failed sign-in for \"{email}\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"Failed sign-in for \"{unknown}\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains($"\"{email}\" signed in", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /account/sign-in responded", StringComparison.Ordinal));
        foreach (var password in new[] { Password, wrongPassword, unknownsPassword })
        {
            lines.Where(l => l.Contains(password, StringComparison.Ordinal)).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task TheStoredHashIsNotThePasswordAndVerifiesWithPasswordHasher()
    {
        var email = await NewUserAsync();

        var user = await StoredAsync(email);

        user.PasswordHash.Should().NotContain(Password);
        new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, Password)
            .Should().Be(PasswordVerificationResult.Success);
        new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, Password + " ")
            .Should().Be(PasswordVerificationResult.Failed);
    }

    [Fact]
    public async Task ClientsThatFailTooOftenGet429EvenWithTheRightPassword()
    {
        using var app = new LiberterraApp { EnvironmentName = "Production", Settings = { ["SignIn:MaxFailuresPerClient"] = "3" } };
        var email = $"throttled{Guid.NewGuid():N}@example.org";
        await app.AddUserAsync(email, Password);
        using var browser = app.Browser();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var wrong = await browser.SignInAsync($"someone{attempt}@example.org", "guessing");
            wrong.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var throttled = await browser.SignInAsync(email, Password);

        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(10));
        throttled.AuthCookieHeader().Should().BeNull();
        var page = new HtmlParser().ParseDocument(await throttled.Content.ReadAsStringAsync());
        page.QuerySelector("[role=alert]")!.TextContent.Should().Contain("Too many failed sign-ins").And.Contain("10 minutes");
        app.LogLines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("too many failed sign-ins", StringComparison.Ordinal));
        (await StoredAsync(app, email)).FailedSignIns.Should().Be(0, "a throttled attempt never reaches the account");
    }

    /// <summary>The app's hasher, remembering every hash it is asked to verify a password against.</summary>
    private sealed class RecordingHasher : PasswordHasher<UserRecord>
    {
        public List<string> Verified { get; } = [];

        public override PasswordVerificationResult VerifyHashedPassword(UserRecord user, string hashedPassword, string providedPassword)
        {
            Verified.Add(hashedPassword);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>One Production app for the sign-in tests, whose per-client throttle stays out of the way of the tests that do not test it.</summary>
public sealed class SignInFixture : IDisposable
{
    public LiberterraApp App { get; } = new()
    {
        EnvironmentName = "Production",
        Settings = { ["SignIn:MaxFailuresPerClient"] = "100000" },
    };

    public void Dispose() => App.Dispose();
}
