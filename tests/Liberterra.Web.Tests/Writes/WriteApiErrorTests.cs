using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// One test per row of the issue's error table: each bad write gets a ProblemDetails answer naming what is wrong,
/// and leaves the operation's returns, versions and totals exactly as they were.
/// </summary>
public sealed class WriteApiErrorTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private const string Day = "2026-11-02";

    /// <summary>A new operation holding one Spanish return (version 1, 5 arrests), and a snapshot of it.</summary>
    private async Task<(string Code, string Snapshot)> ArrangeAsync()
    {
        var code = await fixture.NewOperationAsync();
        var seed = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5));
        seed.StatusCode.Should().Be(HttpStatusCode.Created, await seed.Content.ReadAsStringAsync());
        return (code, await SnapshotAsync(fixture.App, fixture.Admin, code));
    }

    private async Task NothingChangedAsync(string code, string snapshot)
    {
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(snapshot, "a refused write changes nothing");
        var current = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", Day));
        current.GetProperty("version").GetInt32().Should().Be(1);
        current.Int("arrests").Should().Be(5);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(5);
    }

    // ---- 400 ----

    [Theory]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":-1}""", "arrests", "-1")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":3,"arrestsTraffickingSmuggling":4}""", "arrestsTraffickingSmuggling", "arrests")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","victimsSafeguarded":2,"victimsMinors":3}""", "victimsMinors", "victimsSafeguarded")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","victimsSafeguarded":2,"victimsByExploitation":{"sexual":2,"forcedLabour":1}}""", "victimsByExploitation", "2")]
    [InlineData("""{"country":"ESP","date":"2026-11-06","arrests":6}""", "date", "2026-11-06")]
    [InlineData("""{"country":"ESP","date":"2026-10-31","arrests":6}""", "date", "2026-10-31")]
    [InlineData("""{"country":"ESP","date":"2026-13-01","arrests":6}""", "date", "yyyy-MM-dd")]
    [InlineData("""{"country":"ESP","date":"02/11/2026","arrests":6}""", "date", "yyyy-MM-dd")]
    [InlineData("""{"country":"XXX","date":"2026-11-02","arrests":6}""", "country", "XXX")]
    [InlineData("""{"country":"GBR","date":"2026-11-02","arrests":6}""", "country", "GBR")]
    [InlineData("""{"country":"Spain","date":"2026-11-02","arrests":6}""", "country", "alpha-3")]
    [InlineData("""{"date":"2026-11-02","arrests":6}""", "country", "alpha-3")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":"6"}""", "arrests", "whole number")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":1.5}""", "arrests", "whole number")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":true}""", "arrests", "whole number")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":99999999999}""", "arrests", "whole number")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":2000000}""", "arrests", "1,000,000")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","victimsByExploitation":{"sexual":"two"}}""", "victimsByExploitation.sexual", "whole number")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrest":6}""", "arrest", "Unknown field")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arest":6}""", "arest", "Unknown field")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":6,"arrests":7}""", "arrests", "more than once")]
    [InlineData("""{"country":42,"date":"2026-11-02","arrests":6}""", "country", "string")]
    public async Task AnInvalidReturnIsA400NamingTheFieldAndNothingChanges(string body, string field, string messagePart)
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostRawAsync(fixture.Admin, ReturnsPath(code), body, "application/json");

        var messages = await response.ShouldBeValidationProblemAsync(field);
        messages.Should().Contain(m => m.Contains(messagePart, StringComparison.Ordinal), $"the message should help the sender fix '{field}'");
        await NothingChangedAsync(code, snapshot);
    }

    [Theory]
    [InlineData("""{"country":"ESP","date":"2026-11-02" "arrests":6}""")]
    [InlineData("""{"country":"ESP","date":"2026-11-02","arrests":6""")]
    [InlineData("""{"country":"ESP",,}""")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"ESP\"")]
    public async Task MalformedJsonIsA400ProblemAndNothingChanges(string body)
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code), body, "application/json");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "One or more validation errors occurred.");
        problem.GetProperty("errors").EnumerateObject().Should().NotBeEmpty();
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task DeeplyNestedJsonIsA400NotA5xx()
    {
        var (code, snapshot) = await ArrangeAsync();
        var body = """{"country":"ESP","date":"2026-11-02","victimsByExploitation":""" + new string('[', 5000) + new string(']', 5000) + "}";

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code), body, "application/json");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "One or more validation errors occurred.");
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task EveryProblemWithOneReturnIsReportedAtOnce()
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code),
            """{"country":"ESP","date":"2026-11-09","arrests":-2,"investigationsOpened":-3,"irregularMigrants":5}""", "application/json");

        (await response.ShouldBeValidationProblemAsync("arrests")).Should().Contain(m => m.Contains("-2", StringComparison.Ordinal));
        var errors = (await response.JsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("arrests", "investigationsOpened", "date");
        await NothingChangedAsync(code, snapshot);
    }

    // ---- 401 ----

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    [InlineData("lbt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public async Task AMissingOrInvalidKeyIs401AndNothingChanges(string? key)
    {
        var (code, snapshot) = await ArrangeAsync();
        var client = key is null ? fixture.Anonymous : fixture.App.ClientWithKey(key);

        var response = await PostReturnAsync(client, code, Return("ESP", Day, arrests: 9));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        problem.GetProperty("detail").GetString().Should().Contain("X-Api-Key");
        response.Headers.WwwAuthenticate.ToString().Should().Contain("X-Api-Key");
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task ARevokedKeyIs401WithinASecond()
    {
        var (code, snapshot) = await ArrangeAsync();
        var key = await fixture.App.IssueKeyAsync(Core.Security.Role.NationalUnit, "ESP", "NCB Madrid, second desk");
        var client = fixture.App.ClientWithKey(key);
        (await client.GetAsync(ReturnAt(code, "ESP", Day))).StatusCode.Should().Be(HttpStatusCode.OK);
        using (var scope = fixture.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
            var hash = Core.Security.ApiKeys.Hash(key);
            await db.ApiKeys.Where(k => k.KeyHash == hash).ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, DateTime.UtcNow));
        }

        await Revocation.PastTheBoundAsync();
        var response = await PostReturnAsync(client, code, Return("ESP", Day, arrests: 9));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        (await client.GetAsync(ReturnAt(code, "ESP", Day))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await NothingChangedAsync(code, snapshot);
    }

    // ---- 403 ----

    [Fact]
    public async Task ANationalUnitWritingAnotherCountrysReturnIs403AndNothingChanges()
    {
        var (code, snapshot) = await ArrangeAsync();

        var forSpain = await PostReturnAsync(fixture.France, code, Return("ESP", Day, arrests: 9));
        var forSenegal = await PostReturnAsync(fixture.France, code, Return("SEN", Day, arrests: 9));

        (await forSpain.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden")).GetProperty("detail").GetString().Should().Contain("FRA");
        await forSenegal.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await NothingChangedAsync(code, snapshot);
        (await fixture.Admin.GetAsync(ReturnAt(code, "SEN", Day))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnAnalystMayWriteNothingAndGets403()
    {
        var (code, snapshot) = await ArrangeAsync();

        var single = await PostReturnAsync(fixture.Analyst, code, Return("ESP", Day, arrests: 9));
        var batch = await PostRawAsync(fixture.Analyst, $"{ReturnsPath(code)}/batch", """[{"country":"ESP","date":"2026-11-03","arrests":1}]""", "application/json");
        var create = await fixture.Analyst.PostAsync("/api/v1/operations", JsonContentOf(new { code = "analyst-op", name = "No", startDate = ApiDrill.StartDate, endDate = ApiDrill.EndDate, participants = new[] { "ESP" } }));
        var finalize = await fixture.Analyst.PostAsync($"/api/v1/operations/{code}/finalize", null);

        await single.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await batch.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await finalize.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        await NothingChangedAsync(code, snapshot);
        (await fixture.Admin.GetAsync("/api/v1/operations/analyst-op")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("open");
    }

    // ---- 404 ----

    [Fact]
    public async Task WritingToAnUnknownOperationIs404()
    {
        var response = await PostReturnAsync(fixture.Admin, "no-such-operation", Return("ESP", Day));
        var batch = await PostRawAsync(fixture.Admin, $"{ReturnsPath("no-such-operation")}/batch", """[{"country":"ESP","date":"2026-11-02","arrests":1}]""", "application/json");

        (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Operation not found")).GetProperty("detail").GetString().Should().Contain("no-such-operation");
        await batch.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Operation not found");
        (await fixture.Admin.GetAsync("/api/v1/operations/no-such-operation")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnUnknownReturnIs404()
    {
        var (code, _) = await ArrangeAsync();

        var missingDay = await fixture.Admin.GetAsync(ReturnAt(code, "ESP", "2026-11-03"));
        var missingHistory = await fixture.Admin.GetAsync($"{ReturnAt(code, "FRA", Day)}/history");
        var missingOperation = await fixture.Admin.GetAsync(ReturnAt("no-such-operation", "ESP", Day));

        (await missingDay.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Return not found")).GetProperty("detail").GetString().Should().Contain("2026-11-03");
        await missingHistory.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Return not found");
        await missingOperation.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Operation not found");
    }

    // ---- 409 ----

    [Fact]
    public async Task AWholeOperationReturnAfterDailyOnesForTheSameCountryIs409()
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostReturnAsync(fixture.Spain, code, Return("ESP", null, arrests: 9));

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Granularity conflict")).GetProperty("detail").GetString().Should().Contain("ESP");
        await NothingChangedAsync(code, snapshot);
        (await fixture.Admin.GetAsync(ReturnAt(code, "ESP", null))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADailyReturnAfterAWholeOperationOneForTheSameCountryIs409()
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.France, code, Return("FRA", null))).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostReturnAsync(fixture.France, code, Return("FRA", Day));

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Granularity conflict");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
        var other = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day));
        other.StatusCode.Should().Be(HttpStatusCode.Created, "another country chooses its own granularity");
    }

    [Fact]
    public async Task WritingToAFinalOperationIs409UntilItIsReopened()
    {
        var (code, snapshot) = await ArrangeAsync();
        (await fixture.Admin.PostAsync($"/api/v1/operations/{code}/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        snapshot = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var amend = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9));
        var create = await PostReturnAsync(fixture.Admin, code, Return("SEN", Day));
        var batch = await PostRawAsync(fixture.Spain, $"{ReturnsPath(code)}/batch", """[{"country":"ESP","date":"2026-11-03","arrests":1}]""", "application/json");

        (await amend.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final")).GetProperty("detail").GetString().Should().Contain(code);
        await create.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final");
        await batch.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final");
        await NothingChangedAsync(code, snapshot);

        (await fixture.Admin.PostAsync($"/api/v1/operations/{code}/reopen", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterReopen = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9));
        afterReopen.StatusCode.Should().Be(HttpStatusCode.OK, await afterReopen.Content.ReadAsStringAsync());
        (await afterReopen.JsonAsync()).GetProperty("version").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task TheSeededOperationsAreFinalAndRefuseWrites()
    {
        var response = await PostReturnAsync(fixture.Admin, "liberterra-iii", new { country = "ESP", date = "2025-11-12", arrests = 1 });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final");
    }

    // ---- 412 ----

    [Fact]
    public async Task AStaleIfMatchIs412AndNothingChanges()
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("If-Match", "\"7\""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "Precondition failed")).GetProperty("detail").GetString().Should().Contain("1");
        await NothingChangedAsync(code, snapshot);
    }

    // ---- 413 ----

    [Fact]
    public async Task AReturnOver256KilobytesIs413AndNothingChanges()
    {
        var (code, snapshot) = await ArrangeAsync();
        var body = $$"""{"country":"ESP","date":"{{Day}}","arrests":9,"notes":"{{new string('x', 257 * 1024)}}"}""";

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code), body, "application/json");

        (await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large")).GetProperty("detail").GetString().Should().Contain("256");
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task AReturnOver256KilobytesWithoutAContentLengthIsAlso413()
    {
        var (code, snapshot) = await ArrangeAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"country":"ESP","date":"{{Day}}","arrests":9,"notes":"{{new string('x', 300 * 1024)}}"}""");

        var response = await SendAsync(fixture.Spain, ReturnsPath(code), new UnsizedContent(body, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large");
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task AReturnJustUnder256KilobytesIsNotRefusedForItsSize()
    {
        var (code, _) = await ArrangeAsync();
        var body = $$"""{"country":"ESP","date":"{{Day}}","arrests":9,"notes":"{{new string('x', 250 * 1024)}}"}""";

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code), body, "application/json");

        response.StatusCode.Should().NotBe(HttpStatusCode.RequestEntityTooLarge);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the notes are over their own 2,000-character limit");
        await response.ShouldBeValidationProblemAsync("notes");
    }

    [Fact]
    public async Task ABatchOver5MegabytesIs413AndNothingChanges()
    {
        var (code, snapshot) = await ArrangeAsync();
        var row = """{"country":"ESP","date":"2026-11-03","arrests":1},""";
        var body = "[" + string.Concat(Enumerable.Repeat(row, (5 * 1024 * 1024 / row.Length) + 10)) + """{"country":"ESP","date":"2026-11-04","arrests":1}]""";

        var response = await PostRawAsync(fixture.Spain, $"{ReturnsPath(code)}/batch", body, "application/json");

        (await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large")).GetProperty("detail").GetString().Should().Contain("5,120");
        await NothingChangedAsync(code, snapshot);
    }

    // ---- 415 ----

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("text/csv")]
    [InlineData(null)]
    public async Task AReturnInTheWrongContentTypeIs415AndNothingChanges(string? mediaType)
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostRawAsync(fixture.Spain, ReturnsPath(code), """{"country":"ESP","date":"2026-11-02","arrests":9}""", mediaType);

        await ShouldBeUnsupportedMediaTypeAsync(response);
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task JsonInAnotherCharsetIs415()
    {
        var (code, snapshot) = await ArrangeAsync();
        using var content = new ByteArrayContent(Encoding.Unicode.GetBytes("""{"country":"ESP","date":"2026-11-02","arrests":9}"""));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-16" };

        var response = await SendAsync(fixture.Spain, ReturnsPath(code), content);

        await ShouldBeUnsupportedMediaTypeAsync(response);
        await NothingChangedAsync(code, snapshot);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task ABatchInTheWrongContentTypeIs415AndNothingChanges(string? mediaType)
    {
        var (code, snapshot) = await ArrangeAsync();

        var response = await PostRawAsync(fixture.Spain, $"{ReturnsPath(code)}/batch", "country,date,arrests\nESP,2026-11-03,1\n", mediaType);

        await ShouldBeUnsupportedMediaTypeAsync(response);
        await NothingChangedAsync(code, snapshot);
    }

    // ---- 422 ----

    [Fact]
    public async Task AnIdempotencyKeyReusedWithADifferentBodyIs422AndNothingChanges()
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "err-422"))).StatusCode.Should().Be(HttpStatusCode.Created);
        var snapshot = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var otherBody = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("Idempotency-Key", "err-422"));
        var otherDay = await PostReturnAsync(fixture.Spain, code, Return("ESP", "2026-11-03", arrests: 5), WithHeader("Idempotency-Key", "err-422"));

        await otherBody.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key reused");
        await otherDay.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key reused");
        await NothingChangedAsync(code, snapshot);
    }

    [Fact]
    public async Task AnIdempotencyKeyIsScopedToTheApiKeyThatSentIt()
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day), WithHeader("Idempotency-Key", "shared-name"))).StatusCode.Should().Be(HttpStatusCode.Created);

        var france = await PostReturnAsync(fixture.France, code, Return("FRA", Day), WithHeader("Idempotency-Key", "shared-name"));

        france.StatusCode.Should().Be(HttpStatusCode.Created, "another key's Idempotency-Key is not this key's");
        france.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
    }

    // ---- 429 ----

    [Fact]
    public async Task TheThirdQuickRequestOverARateLimitOfOnePerSecondWithABurstOfTwoIs429WithRetryAfter()
    {
        using var app = LiberterraApp.Production(new() { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "2" });
        var drill = await ApiDrill.CreateAsync(app, "rate-limited", units: ["ESP", "FRA"]);
        var code = drill.Code;
        var spain = drill.Unit("ESP");

        var sent = new List<(int Arrests, HttpResponseMessage Response)>();
        var clock = Stopwatch.StartNew();
        foreach (var arrests in new[] { 5, 6, 7 })
        {
            sent.Add((arrests, await PostReturnAsync(spain, code, Return("ESP", Day, arrests: arrests))));
        }

        var elapsed = clock.Elapsed;
        sent[0].Response.StatusCode.Should().Be(HttpStatusCode.Created);
        sent[1].Response.StatusCode.Should().Be(HttpStatusCode.OK);
        if (elapsed >= TimeSpan.FromSeconds(0.9) && sent[2].Response.StatusCode == HttpStatusCode.OK)
        {
            // The bucket refills one token a second; on a machine slow enough for that to happen, the next request is the one over the limit.
            sent.Add((8, await PostReturnAsync(spain, code, Return("ESP", Day, arrests: 8))));
        }

        var refused = sent[^1].Response;
        var france = await PostReturnAsync(drill.Unit("FRA"), code, Return("FRA", Day));
        france.StatusCode.Should().Be(HttpStatusCode.Created, "the limit is per key: Spain's burst does not hold France back");
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "Too many requests");
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var operationId = await db.Operations.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
        var stored = await db.Returns.AsNoTracking().SingleAsync(r => r.OperationId == operationId && r.Country == "ESP");
        stored.Values["arrests"].Should().Be(sent[^2].Arrests, "the refused amendment was not written");
        stored.Version.Should().Be(sent.Count - 1);
    }

    // A wrong media type is refused either by routing (the endpoints declare what they accept) or by the body reader;
    // both answer with a 415 problem, and only the capitalisation of their titles differs.
    private static async Task ShouldBeUnsupportedMediaTypeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(415);
        problem.GetProperty("title").GetString().Should().BeEquivalentTo("Unsupported media type");
    }

    private static System.Net.Http.Json.JsonContent JsonContentOf(object value) => System.Net.Http.Json.JsonContent.Create(value);
}
