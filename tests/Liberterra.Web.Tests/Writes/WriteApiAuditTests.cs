using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liberterra.Data;
using Liberterra.Web.Writes;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>Every write attempt, accepted or refused, is in the audit log with who, what, the outcome and why.</summary>
public sealed class WriteApiAuditTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private const string Day = "2026-11-02";

    private async Task<List<JsonElement>> AuditAsync(string query)
    {
        var page = await fixture.Admin.GetJsonAsync($"/api/v1/audit?{query}");
        return page.GetProperty("entries").EnumerateArray().ToList();
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.GetProperty(name).ValueKind == JsonValueKind.Null ? null : entry.GetProperty(name).GetString();

    [Fact]
    public async Task AcceptedAndRefusedAttemptsAreAllAuditedWithWhoWhatOutcomeAndReason()
    {
        var code = await fixture.NewOperationAsync();
        var accepted = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day));
        var amended = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9));
        var invalid = await PostRawAsync(fixture.Spain, ReturnsPath(code), """{"country":"ESP","date":"2026-11-03","arrests":-4}""", "application/json");
        var anonymous = await PostReturnAsync(fixture.Anonymous, code, Return("ESP", Day, arrests: 11));
        var foreign = await PostReturnAsync(fixture.Spain, code, Return("FRA", "2026-11-04"));
        new[] { accepted, amended, invalid, anonymous, foreign }.Select(r => (int)r.StatusCode).Should().Equal(201, 200, 400, 401, 403);

        var entries = await AuditAsync($"operation={code}");

        entries.Should().HaveCount(6, "the five attempts, and the admin's creation of the operation");
        entries.Select(e => e.GetProperty("statusCode").GetInt32()).Should().Equal(403, 401, 400, 200, 201, 201);
        Text(entries[5], "action").Should().Be("CreateOperation");
        entries[5].GetProperty("keyId").GetInt64().Should().Be(fixture.AdminKeyId);
        entries.Select(e => e.GetProperty("id").GetInt64()).Should().BeInDescendingOrder();
        entries.Should().OnlyContain(e => Text(e, "operation") == code);
        entries.Should().OnlyContain(e => e.GetProperty("at").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));

        var created = entries[4];
        created.GetProperty("keyId").GetInt64().Should().Be(fixture.SpainKeyId);
        Text(created, "keyLabel").Should().Be(ApiDrill.UnitLabel("ESP"));
        Text(created, "role").Should().Be("national-unit");
        Text(created, "country").Should().Be("ESP");
        Text(created, "period").Should().Be(Day);
        Text(created, "outcome").Should().Be("created");

        Text(entries[3], "outcome").Should().Be("amended");

        var rejected = entries[2];
        rejected.GetProperty("keyId").GetInt64().Should().Be(fixture.SpainKeyId);
        Text(rejected, "country").Should().Be("ESP");
        Text(rejected, "period").Should().Be("2026-11-03");
        Text(rejected, "outcome").Should().Be("rejected");
        Text(rejected, "reason").Should().Contain("arrests").And.Contain("-4");

        var unauthenticated = entries[1];
        unauthenticated.GetProperty("keyId").ValueKind.Should().Be(JsonValueKind.Null);
        unauthenticated.GetProperty("keyLabel").ValueKind.Should().Be(JsonValueKind.Null);
        Text(unauthenticated, "outcome").Should().Be("rejected");
        Text(unauthenticated, "reason").Should().Contain("Authentication required");

        var forbidden = entries[0];
        forbidden.GetProperty("keyId").GetInt64().Should().Be(fixture.SpainKeyId);
        Text(forbidden, "country").Should().Be("FRA");
        Text(forbidden, "period").Should().Be("2026-11-04");
        Text(forbidden, "outcome").Should().Be("rejected");
        Text(forbidden, "reason").Should().Contain("ESP");

        var text = await fixture.Admin.GetStringAsync($"/api/v1/audit?operation={code}");
        text.Should().NotContain(fixture.SpainKey, "the audit names keys by id and label, never by the key itself");
    }

    /// <summary>PostgreSQL cannot store a NUL, so the audit shows one as U+2400 on every database rather than lose the entry.</summary>
    [Fact]
    public async Task ARefusedWriteWithANulIsAuditedWithTheNulShownAsASymbolAndANulFilterFindsNothing()
    {
        var code = await fixture.NewOperationAsync();
        var refused = await PostRawAsync(fixture.Admin, ReturnsPath(code), """{"country":"ESP","date":"2026-11-02","no\u0000such":1}""", "application/json");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var entry = (await AuditAsync($"operation={code}")).First();

        entry.GetProperty("statusCode").GetInt32().Should().Be(400);
        var texts = entry.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!).ToList();
        texts.Should().Contain(t => t.Contains("no\u2400such", StringComparison.Ordinal), "the reason names the unknown field")
            .And.NotContain(t => t.Contains('\0', StringComparison.Ordinal));
        (await AuditAsync($"operation={code}%00")).Should().BeEmpty();
        (await fixture.Admin.GetAsync("/api/v1/audit?country=E%00P")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "it is not a country code");
    }

    [Fact]
    public async Task AWriteWhoseClientHangsUpWhileItWaitsIsAuditedAs499NotAs500()
    {
        var code = await fixture.NewOperationAsync();

        // A key records when it was last used at most once a minute, and that is a write too: have it done now, so the
        // request below gets past authentication and waits in the endpoint, where the audit sees it.
        (await fixture.Spain.GetAsync(ReturnsPath(code))).StatusCode.Should().Be(HttpStatusCode.OK);

        // Hold Spain's write turn, as a long write would (SQLite: the write gate and the database's write lock;
        // PostgreSQL: Spain's participant row in the operation), so the request below waits for it until its client gives up.
        var release = new TaskCompletionSource();
        var holding = new TaskCompletionSource();
        using var scope = fixture.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var holder = scope.ServiceProvider.GetRequiredService<WriteGate>().RunAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var operation = (await db.OperationsForWriteAsync([code], CancellationToken.None)).Single();
            await db.LockCountriesAsync(operation.Id, ["ESP"], CancellationToken.None);
            holding.SetResult();
            await release.Task;
        }, CancellationToken.None);
        await holding.Task;

        using var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var write = fixture.Spain.PostAsJsonAsync(ReturnsPath(code), Return("ESP", Day), hangUp.Token);

        // The test server's client returns only once the app has finished with the request, and on SQLite the app's
        // audit entry waits for the write turn this test holds: so let the hang-up reach the app, then give the turn back.
        await Task.Delay(Timeout.Infinite, hangUp.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.Delay(TimeSpan.FromSeconds(1));
        release.SetResult();
        await holder;
        await FluentActions.Awaiting(() => write).Should().ThrowAsync<OperationCanceledException>();

        // The entry is written once the request unwinds, which may be just after the client has gone.
        List<JsonElement> refused = [];
        for (var waited = 0; waited < 100 && refused.Count == 0; waited++)
        {
            refused = (await AuditAsync($"operation={code}&outcome=rejected")).ToList();
            if (refused.Count == 0)
            {
                await Task.Delay(100);
            }
        }

        refused.Should().ContainSingle().Which.GetProperty("statusCode").GetInt32().Should().Be(499);
        (await fixture.Admin.GetAsync($"{ReturnAt(code, "ESP", Day)}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the abandoned write was not made");
    }

    [Fact]
    public async Task TheAuditCanBeFilteredByCountryAndOutcome()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day));
        await PostReturnAsync(fixture.France, code, Return("FRA", Day));
        await PostRawAsync(fixture.France, ReturnsPath(code), """{"country":"FRA","date":"2026-11-09"}""", "application/json");
        await PostReturnAsync(fixture.Spain, code, Return("FRA", Day, arrests: 9));

        var france = await AuditAsync($"operation={code}&country=fra");
        var rejected = await AuditAsync($"operation={code}&outcome=rejected");
        var rejectedForFrance = await AuditAsync($"operation={code}&country=FRA&outcome=rejected");
        var bySpain = await AuditAsync($"operation={code}&keyId={fixture.SpainKeyId}");

        france.Should().HaveCount(3).And.OnlyContain(e => Text(e, "country") == "FRA");
        rejected.Should().HaveCount(2).And.OnlyContain(e => Text(e, "outcome") == "rejected" && e.GetProperty("statusCode").GetInt32() >= 400);
        rejectedForFrance.Select(e => e.GetProperty("statusCode").GetInt32()).Should().Equal(403, 400);
        bySpain.Should().HaveCount(2).And.OnlyContain(e => e.GetProperty("keyId").GetInt64() == fixture.SpainKeyId);
    }

    [Fact]
    public async Task UnchangedResendsAndIdempotentReplaysAreAuditedAsSuch()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", null), WithHeader("Idempotency-Key", "audit-replay"));
        await PostReturnAsync(fixture.Spain, code, Return("ESP", null), WithHeader("Idempotency-Key", "audit-replay"));
        await PostReturnAsync(fixture.Spain, code, Return("ESP", null));

        var entries = await AuditAsync($"operation={code}&country=ESP");

        entries.Select(e => Text(e, "outcome")).Should().Equal("unchanged", "replayed", "created");
        entries.Select(e => e.GetProperty("statusCode").GetInt32()).Should().Equal(200, 201, 201);
        entries.Should().OnlyContain(e => Text(e, "period") == "all" || Text(e, "outcome") == "replayed");
    }

    [Fact]
    public async Task TheAuditCanBeFilteredByTime()
    {
        var code = await fixture.NewOperationAsync();
        var start = DateTime.UtcNow.AddSeconds(-1);
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day));
        var end = DateTime.UtcNow.AddSeconds(1);
        static string Iso(DateTime at) => Uri.EscapeDataString(at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));

        var within = await AuditAsync($"operation={code}&country=ESP&from={Iso(start)}&to={Iso(end)}");
        var later = await AuditAsync($"operation={code}&country=ESP&from={Iso(end)}");
        var earlier = await AuditAsync($"operation={code}&country=ESP&to={Iso(start)}");

        within.Should().ContainSingle().Which.GetProperty("statusCode").GetInt32().Should().Be(201);
        later.Should().BeEmpty();
        earlier.Should().BeEmpty();
    }

    [Fact]
    public async Task TheAuditIsPagedNewestFirst()
    {
        var code = await fixture.NewOperationAsync();
        foreach (var arrests in new[] { 5, 6, 7 })
        {
            await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: arrests));
        }

        var firstPage = await fixture.Admin.GetJsonAsync($"/api/v1/audit?operation={code}&limit=3");
        var next = firstPage.GetProperty("nextBeforeId").GetInt64();
        var secondPage = await fixture.Admin.GetJsonAsync($"/api/v1/audit?operation={code}&limit=3&beforeId={next}");

        firstPage.GetProperty("entries").EnumerateArray().Select(e => Text(e, "outcome")).Should().Equal("amended", "amended", "created");
        firstPage.GetProperty("entries")[2].GetProperty("action").GetString().Should().Be("SubmitReturn");
        secondPage.GetProperty("entries").EnumerateArray().Select(e => Text(e, "action")).Should().Equal("CreateOperation");
        secondPage.GetProperty("nextBeforeId").ValueKind.Should().Be(JsonValueKind.Null);
        (await fixture.Admin.GetAsync("/api/v1/audit?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminActionsAndBatchesAreAuditedToo()
    {
        var code = await fixture.NewOperationAsync();
        await fixture.Admin.PostAsync($"/api/v1/operations/{code}/finalize", null);
        await fixture.Admin.PostAsync($"/api/v1/operations/{code}/reopen", null);
        await PostRawAsync(fixture.Spain, $"{ReturnsPath(code)}/batch", """[{"country":"ESP","date":"2026-11-01","arrests":1}]""", "application/json");
        await PostRawAsync(fixture.Spain, $"{ReturnsPath(code)}/batch?dryRun=true", """[{"country":"ESP","date":"2026-11-02","arrests":1}]""", "application/json");

        var entries = await AuditAsync($"operation={code}");

        entries.Select(e => Text(e, "outcome")).Should().Equal("dry-run", "batch", "reopened", "finalized", "created");
        entries[1].GetProperty("statusCode").GetInt32().Should().Be(200);
        Text(entries[1], "reason").Should().Contain("1 created");
        entries[4].GetProperty("statusCode").GetInt32().Should().Be(201);
        entries[4].GetProperty("keyId").GetInt64().Should().Be(fixture.AdminKeyId);
    }

    [Theory]
    [InlineData("wrong content type")]
    [InlineData("missing content type")]
    [InlineData("too large")]
    [InlineData("stale If-Match")]
    [InlineData("final operation")]
    [InlineData("granularity")]
    [InlineData("idempotency reuse")]
    [InlineData("unknown operation")]
    [InlineData("analyst")]
    public async Task EveryKindOfRefusedWriteIsAuditedWithItsStatusAndAReason(string kind)
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day), WithHeader("Idempotency-Key", $"audit-{kind.Replace(' ', '-')}"))).StatusCode.Should().Be(HttpStatusCode.Created);
        var target = code;
        HttpResponseMessage response;
        switch (kind)
        {
            case "wrong content type":
                response = await PostRawAsync(fixture.Spain, ReturnsPath(code), """{"country":"ESP","date":"2026-11-02","arrests":9}""", "text/plain");
                break;
            case "missing content type":
                response = await PostRawAsync(fixture.Spain, ReturnsPath(code), """{"country":"ESP","date":"2026-11-02","arrests":9}""", null);
                break;
            case "too large":
                response = await PostRawAsync(fixture.Spain, ReturnsPath(code), $$"""{"country":"ESP","notes":"{{new string('x', 300_000)}}"}""", "application/json");
                break;
            case "stale If-Match":
                response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("If-Match", "\"5\""));
                break;
            case "final operation":
                await fixture.Admin.PostAsync($"/api/v1/operations/{code}/finalize", null);
                response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9));
                break;
            case "granularity":
                response = await PostReturnAsync(fixture.Spain, code, Return("ESP", null, arrests: 9));
                break;
            case "idempotency reuse":
                response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("Idempotency-Key", $"audit-{kind.Replace(' ', '-')}"));
                break;
            case "unknown operation":
                target = $"{code}-missing";
                response = await PostReturnAsync(fixture.Spain, target, Return("ESP", Day, arrests: 9));
                break;
            default:
                response = await PostReturnAsync(fixture.Analyst, code, Return("ESP", Day, arrests: 9));
                break;
        }

        ((int)response.StatusCode).Should().BeInRange(400, 499);

        var entry = (await AuditAsync($"operation={target}&outcome=rejected")).Should()
            .ContainSingle($"the refused write ({kind}, {(int)response.StatusCode}) is audited under the operation it was aimed at").Subject;
        entry.GetProperty("statusCode").GetInt32().Should().Be((int)response.StatusCode);
        Text(entry, "reason").Should().NotBeNullOrWhiteSpace($"a refused write ({kind}, {(int)response.StatusCode}) is audited with the reason");
    }

    [Fact]
    public async Task ARateLimitedWriteIsAudited()
    {
        using var app = LiberterraApp.Production(new() { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "1" });
        var drill = await ApiDrill.CreateAsync(app, "audited-limit", units: []);
        var admin = drill.Admin;
        var code = drill.Code;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            statuses.Add((await PostReturnAsync(admin, code, Return("ESP", Day))).StatusCode);
        }

        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var page = await admin.GetJsonAsync($"/api/v1/audit?operation={code}&outcome=rejected");

        var entry = page.GetProperty("entries").EnumerateArray().Should().ContainSingle().Subject;
        entry.GetProperty("statusCode").GetInt32().Should().Be(429);
        Text(entry, "reason").Should().Contain("Too many requests");
        entry.GetProperty("keyId").GetInt64().Should().Be(await app.KeyIdAsync(drill.AdminKey));
    }

    [Fact]
    public async Task OnlyAnAdminMayReadTheAudit()
    {
        await (await fixture.Spain.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await (await fixture.Analyst.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await (await fixture.Anonymous.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        (await fixture.Admin.GetAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
