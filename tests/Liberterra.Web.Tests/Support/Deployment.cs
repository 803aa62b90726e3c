using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// A deployment as it looks after some use, made through the app: the seed, then returns amended several times, an
/// idempotent retry, a finalized operation, a revoked key, users with failed sign-ins and one signed in, the Data
/// Protection key that signs their cookies, and the audit of all of it. It keeps what the app answered and what its
/// clients hold, to check that a database that was copied or upgraded still serves all of it.
/// </summary>
public sealed class Deployment
{
    public const string Password = "a long enough password";

    /// <summary>A dashboard page: only a signed-in user gets it in Production.</summary>
    public const string DashboardPage = "/operations/liberterra-iii";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [JsonConstructor]
    private Deployment(Dictionary<string, string> responses, string adminKey, string spainKey, string revokedKey, string idempotentReplay, string signInCookie)
    {
        Responses = responses;
        AdminKey = adminKey;
        SpainKey = spainKey;
        RevokedKey = revokedKey;
        IdempotentReplay = idempotentReplay;
        SignInCookie = signInCookie;
    }

    /// <summary>What readers saw after every write, by path: the operations, each one's figures, every return's history, the audit.</summary>
    public Dictionary<string, string> Responses { get; }

    public string AdminKey { get; }

    public string SpainKey { get; }

    public string RevokedKey { get; }

    /// <summary>The answer to the write that was retried with Idempotency-Key "copy-retry".</summary>
    public string IdempotentReplay { get; }

    /// <summary>The sign-in cookie of steady@example.org, as "name=value".</summary>
    public string SignInCookie { get; }

    /// <summary>Everything a later test needs to check another app against this deployment, e.g. after an upgrade.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    public static Deployment FromJson(string json) =>
        JsonSerializer.Deserialize<Deployment>(json) ?? throw new InvalidOperationException("The deployment's JSON is null.");

    /// <summary>Uses the app (a <see cref="LiberterraApp.Production"/>) as its clients would, and returns what they saw and hold.</summary>
    public static async Task<Deployment> BuildAsync(LiberterraApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var drill = await ApiDrill.CreateAsync(app, "copy-drill", units: ["ESP", "FRA"]);
        var parisKey = drill.UnitKeys["FRA"]; // revoked below
        var admin = drill.Admin;
        var spain = drill.Unit("ESP");
        var paris = drill.Unit("FRA");
        await ApiDrill.CreateOperationAsync(admin, "copy-final");
        foreach (var (arrests, notes) in new[] { (5, "first count"), (6, "Málaga: one more \"arrest\""), (9, (string?)null) })
        {
            (await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-02", arrests, notes))).IsSuccessStatusCode.Should().BeTrue();
        }

        (await PostReturnAsync(paris, "copy-drill", Return("FRA", null, 3, "whole operation"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await PostReturnAsync(paris, "copy-drill", Return("FRA", null, 4))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PostReturnAsync(spain, "copy-drill", Return("FRA", "2026-11-02"))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "audited as rejected");
        var first = await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var retry = await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        var replayed = await retry.Content.ReadAsStringAsync();
        replayed.Should().Be(await first.Content.ReadAsStringAsync());
        (await PostReturnAsync(spain, "copy-final", Return("ESP", "2026-11-02"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await admin.PostAsync("/api/v1/operations/copy-final/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        await app.RevokeKeyAsync(parisKey);

        await app.AddUserAsync("steady@example.org", Password);
        await app.AddUserAsync("locked@example.org", Password, Role.Admin);
        await app.AddUserAsync("counting@example.org", Password);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await app.Browser().SignInAsync("locked@example.org", "not the password");
        }

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await app.Browser().SignInAsync("counting@example.org", "not the password");
        }

        string cookie;
        using (var signIn = await app.Browser().SignInAsync("steady@example.org", Password))
        {
            cookie = signIn.AuthCookieHeader()?.Split(';')[0] ?? throw new InvalidOperationException("signing in set no cookie");
        }

        // What readers see, taken after every write: the operations, each one's figures, and every return's history.
        var responses = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<string> GetAsync(string path) => responses[path] = await admin.GetStringAsync(path);
        await GetAsync("/api/v1/operations");
        await GetAsync("/api/v1/audit?limit=500");
        foreach (var operation in (await admin.GetJsonAsync("/api/v1/operations")).EnumerateArray().Select(o => o.GetProperty("code").GetString()!))
        {
            await GetAsync($"/api/v1/operations/{operation}");
            await GetAsync($"/api/v1/operations/{operation}/totals");
            await GetAsync($"/api/v1/operations/{operation}/countries");
            var returns = System.Text.Json.JsonDocument.Parse(await GetAsync(ReturnsPath(operation))).RootElement.GetProperty("returns");
            foreach (var entry in returns.EnumerateArray())
            {
                await GetAsync($"{ReturnAt(operation, entry.GetProperty("country").GetString()!, entry.GetProperty("date").GetString())}/history");
            }
        }

        return new Deployment(responses, drill.AdminKey, drill.UnitKeys["ESP"], parisKey, replayed, cookie);
    }

    /// <summary>
    /// Checks that another app on this deployment's data, just after it was built (a copy), serves all of it: the same
    /// answers to every read, everything <see cref="AssertHeldByAsync"/> checks, and, while they last, the sign-in
    /// cookie (8 hours) and the lockout (15 minutes). It writes (a replay, sign-ins), so compare rows before calling it.
    /// </summary>
    public async Task AssertServedByAsync(LiberterraApp app)
    {
        await AssertReadsAsync(app, (path, then, now) => now.Should().Be(then, $"GET {path} answers as it did"));
        await AssertHeldByAsync(app);

        using (var page = await app.GetWithCookieAsync(DashboardPage, SignInCookie))
        {
            page.StatusCode.Should().Be(HttpStatusCode.OK, "the key ring that signed the cookie is read back");
            (await page.Content.ReadAsStringAsync()).Should().Contain("steady@example.org", "the page is the signed-in user's");
        }

        using (var locked = await app.Browser().SignInAsync("locked@example.org", Password))
        {
            locked.AuthCookieHeader().Should().BeNull("the account was locked, and stays locked");
        }
    }

    /// <summary>Each read this deployment saw is answered now as <paramref name="check"/>(path, what it answered then, what it answers now) accepts.</summary>
    public async Task AssertReadsAsync(LiberterraApp app, Action<string, string, string> check)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(check);
        var admin = app.ClientWithKey(AdminKey);
        foreach (var (path, body) in Responses)
        {
            using var response = await admin.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path} (log: {string.Join('\n', app.LogLines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)))})");
            check(path, body, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// Checks what another app on this deployment's data keeps however long ago it was built: the keys, the idempotency
    /// record, the Data Protection key that signed the cookie, the users' passwords and failure counts. It writes.
    /// </summary>
    public async Task AssertHeldByAsync(LiberterraApp app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Keys: the revoked one stays revoked, a live one still writes.
        (await app.ClientWithKey(RevokedKey).GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var spain = app.ClientWithKey(SpainKey);
        (await PostReturnAsync(spain, "copy-final", Return("ESP", "2026-11-04"))).StatusCode.Should().Be(HttpStatusCode.Conflict, "the operation is still final");

        // The idempotency record is there: a retry gets the first answer again, and nothing is written.
        var replay = await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        (await replay.Content.ReadAsStringAsync()).Should().Be(IdempotentReplay);

        // The Data Protection key that signed the cookie is there: the app reads the cookie's ticket, expired or not.
        var cookies = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(DashboardAuthentication.Scheme);
        var ticket = cookies.TicketDataFormat.Unprotect(SignInCookie[(SignInCookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        ticket.Should().NotBeNull("the key ring that protected the sign-in cookie is read back");
        ticket!.Principal.Identity!.Name.Should().Be("steady@example.org");

        // Users: the password hash verifies, and the failure count is kept.
        using (var steady = await app.Browser().SignInAsync("steady@example.org", Password))
        {
            steady.AuthCookieHeader().Should().NotBeNull("the password hash is intact");
        }

        using (await app.Browser().SignInAsync("counting@example.org", "one more wrong password"))
        using (var counting = await app.Browser().SignInAsync("counting@example.org", Password))
        {
            counting.AuthCookieHeader().Should().BeNull("four failures were kept, so the fifth locked the account");
        }
    }

    /// <summary>Each table's rows, one line each with every mapped column (complex ones included) as the app reads it, sorted.</summary>
    public static async Task<Dictionary<string, List<string>>> RowsAsync(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.Context();
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in db.Model.GetEntityTypes())
        {
            var read = typeof(Deployment).GetMethod(nameof(AllAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type.ClrType);
            var entities = await (Task<List<object>>)read.Invoke(null, [db])!;
            var columns = type.GetFlattenedProperties().OrderBy(p => p.GetColumnName(), StringComparer.Ordinal).ToList();
            tables[type.GetTableName()!] = entities
                .Select(e => string.Join(" | ", columns.Select(c => $"{c.GetColumnName()}={Text(c.GetGetter().GetClrValueUsingContainingEntity(e))}")))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return tables;
    }

    private static async Task<List<object>> AllAsync<T>(LiberterraDbContext db)
        where T : class =>
        (await db.Set<T>().AsNoTracking().ToListAsync()).Cast<object>().ToList();

    private static string Text(object? value) => value switch
    {
        null => "NULL",
        DateTime time => $"{time:O} ({time.Kind})",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
