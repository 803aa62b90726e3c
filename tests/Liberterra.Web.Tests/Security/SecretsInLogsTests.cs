using System.Net;
using System.Text;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests;

/// <summary>
/// API keys never reach the logs: not a valid key, not an unknown or a revoked one, not one a client put in an
/// Idempotency-Key header or in a body, and not their SHA-256 hashes either. The requests' own log lines are checked
/// to exist, so the test cannot pass because nothing was logged.
/// </summary>
public sealed class SecretsInLogsTests
{
    private const string Drill = "/api/v1/operations/drill";

    [Fact]
    public async Task NoLogLineHoldsAKeyOrItsHashWhateverTheRequestDidWithIt()
    {
        using var app = LiberterraApp.Production();
        var drill = await ApiDrill.CreateAsync(app, "drill", units: ["ESP", "FRA"], analyst: true);
        var admin = drill.AdminKey;
        var spain = drill.UnitKeys["ESP"];
        var analyst = drill.AnalystKey;
        var revoked = drill.UnitKeys["FRA"];
        var unknown = ApiKeys.Generate();
        var secrets = new[] { admin, spain, analyst, revoked, unknown };

        // The revoked key works first, so its later 401s are down to the revocation.
        await ExpectAsync(revoked, HttpMethod.Get, $"{Drill}/completeness", null, HttpStatusCode.OK);
        await app.RevokeKeyAsync(revoked);
        await Revocation.PastTheBoundAsync(); // until then the app may still trust the key it has just seen

        // Valid keys, on reads and writes, with keys (their own and others') in Idempotency-Key and in the body.
        await ExpectAsync(analyst, HttpMethod.Get, $"{Drill}/totals", null, HttpStatusCode.OK);
        await ExpectAsync(spain, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"ESP","date":"2026-11-01","arrests":1,"notes":"{{admin}} {{spain}} {{unknown}}"}""", HttpStatusCode.Created, idempotencyKey: spain);
        await ExpectAsync(spain, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"ESP","date":"2026-11-01","arrests":1,"notes":"{{admin}} {{spain}} {{unknown}}"}""", HttpStatusCode.Created, idempotencyKey: spain);
        await ExpectAsync(spain, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"ESP","date":"2026-11-01","arrests":2,"notes":"changed"}""", (HttpStatusCode)422, idempotencyKey: spain);
        await ExpectAsync(admin, HttpMethod.Post, $"{Drill}/returns/batch",
            $"country,date,arrests,notes\nSEN,2026-11-02,3,{revoked}\n", HttpStatusCode.OK, idempotencyKey: revoked, contentType: "text/csv");
        await ExpectAsync(admin, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"{{unknown}}","date":"2026-11-01","{{unknown}}":1}""", HttpStatusCode.BadRequest);
        await ExpectAsync(spain, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"FRA","date":"2026-11-01","arrests":1,"notes":"{{spain}}"}""", HttpStatusCode.Forbidden, idempotencyKey: admin);
        await ExpectAsync(analyst, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"ESP","date":"2026-11-01","notes":"{{admin}}"}""", HttpStatusCode.Forbidden);
        await ExpectAsync(spain, HttpMethod.Get, "/api/v1/audit", null, HttpStatusCode.Forbidden);

        // An unknown and a revoked key, on reads and writes.
        await ExpectAsync(unknown, HttpMethod.Get, $"{Drill}/regions", null, HttpStatusCode.Unauthorized);
        await ExpectAsync(unknown, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"ESP","date":"2026-11-02","arrests":1,"notes":"{{unknown}}"}""", HttpStatusCode.Unauthorized, idempotencyKey: unknown);
        await ExpectAsync(revoked, HttpMethod.Get, $"{Drill}/timeline", null, HttpStatusCode.Unauthorized);
        await ExpectAsync(revoked, HttpMethod.Post, $"{Drill}/returns",
            $$"""{"country":"FRA","date":"2026-11-02","arrests":1}""", HttpStatusCode.Unauthorized, idempotencyKey: revoked);

        // A key sent with stray whitespace or twice is refused, and not logged either.
        await ExpectAsync(spain + " ", HttpMethod.Get, $"{Drill}/countries", null, HttpStatusCode.Unauthorized);
        using (var client = app.CreateClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{Drill}/timeline"))
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", [admin, spain]);
            (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        // The audit log, read by an admin, names keys by id and label only.
        string audit;
        using (var adminClient = app.ClientWithKey(admin))
        {
            audit = await adminClient.GetStringAsync("/api/v1/audit?limit=1000");
        }

        var lines = app.LogLines.ToList();
        lines.Should().Contain(l => l.Contains("HTTP GET /api/v1/operations/drill/totals responded 200", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns responded 201", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns responded 422", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns/batch responded 200", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns responded 400", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns responded 403", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP GET /api/v1/operations/drill/regions responded 401", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP GET /api/v1/operations/drill/timeline responded 401", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP POST /api/v1/operations/drill/returns responded 401", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("HTTP GET /api/v1/operations/drill/countries responded 401", StringComparison.Ordinal));

        foreach (var secret in secrets)
        {
            var hash = ApiKeys.Hash(secret);
            foreach (var form in new[] { secret, hash, hash.ToUpperInvariant(), Convert.ToBase64String(Convert.FromHexString(hash)) })
            {
                lines.Where(l => l.Contains(form, StringComparison.Ordinal)).Should().BeEmpty($"no log line may hold a key or its hash ({form[..8]}…)");
                if (form != secret)
                {
                    audit.Should().NotContain(form, "the audit names a key by its id and label, never by its hash");
                }
            }
        }

        // The analyst key was only ever sent as a credential: the audit of its refused write names it by id and label alone.
        audit.Should().NotContain(analyst).And.Contain(ApiDrill.AnalystLabel);

        async Task ExpectAsync(string key, HttpMethod method, string path, string? body, HttpStatusCode expected, string? idempotencyKey = null, string contentType = "application/json")
        {
            using var client = app.CreateClient();
            using var request = new HttpRequestMessage(method, path);
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType);
            }

            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(expected, $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task AnIssuedKeyIsStoredOnlyAsItsHash()
    {
        using var app = new LiberterraApp { EnvironmentName = "Production" };
        var key = await app.IssueKeyAsync(Role.Admin, label: "stored as a hash");
        using (var client = app.ClientWithKey(key))
        {
            (await client.GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var stored = await db.ApiKeys.AsNoTracking().ToListAsync();
        stored.Should().ContainSingle(k => k.KeyHash == ApiKeys.Hash(key));
        stored.Should().NotContain(k => k.KeyHash.Contains(key, StringComparison.Ordinal) || k.Label.Contains(key, StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();
        (await KeysCommand.RunAsync(app.Services, ["keys", "list"], output, error)).Should().Be(0);
        (output + error.ToString()).Should().NotContain(key).And.NotContain(ApiKeys.Hash(key)).And.Contain("stored as a hash");
    }
}
