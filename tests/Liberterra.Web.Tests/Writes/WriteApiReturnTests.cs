using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>Posting, amending and re-sending one return: versions, ETags, history, idempotency and the totals.</summary>
public sealed class WriteApiReturnTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private const string Day = "2026-11-02";

    private async Task<int> HistoryCountAsync(string code, string country, string? date) =>
        (await fixture.Admin.GetJsonAsync($"{ReturnAt(code, country, date)}/history")).GetProperty("versions").GetArrayLength();

    [Fact]
    public async Task TheFirstReceiptIsCreatedWithItsLocationETagAndTheStoredReturn()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostReturnAsync(fixture.Spain, code, new
        {
            country = "ESP",
            date = Day,
            arrests = 5,
            arrestsTraffickingSmuggling = 2,
            victimsSafeguarded = 4,
            victimsByExploitation = new { sexual = 3 },
            officersDeployed = 40,
            notes = "first count",
        });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/operations/{code}/returns/ESP/{Day}");
        response.ETag().Should().Be("\"1\"");
        var body = await response.JsonAsync();
        body.GetProperty("operation").GetString().Should().Be(code);
        body.GetProperty("country").GetString().Should().Be("ESP");
        body.GetProperty("date").GetString().Should().Be(Day);
        body.GetProperty("version").GetInt32().Should().Be(1);
        body.Int("arrests").Should().Be(5);
        body.Int("arrestsTraffickingSmuggling").Should().Be(2);
        body.Int("victimsSafeguarded").Should().Be(4);
        body.GetProperty("victimsByExploitation").Int("sexual").Should().Be(3);
        body.GetProperty("victimsByExploitation").Int("forcedLabour").Should().BeNull();
        body.Int("officersDeployed").Should().Be(40);
        body.Int("irregularMigrants").Should().BeNull("it was not sent, so it is not reported");
        body.GetProperty("notes").GetString().Should().Be("first count");
        body.GetProperty("illustrative").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task TheAcknowledgedUpdatedAtIsExactlyTheStoredOne()
    {
        var code = await fixture.NewOperationAsync();
        var created = await (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day))).JsonAsync();
        var amended = await (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9))).JsonAsync();

        var stored = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", Day));
        var history = (await fixture.Admin.GetJsonAsync($"{ReturnAt(code, "ESP", Day)}/history")).GetProperty("versions");

        stored.GetProperty("updatedAt").GetString().Should().Be(amended.GetProperty("updatedAt").GetString(), "both databases keep the time as acknowledged");
        history[0].GetProperty("submittedAt").GetString().Should().Be(created.GetProperty("updatedAt").GetString());
        history[1].GetProperty("submittedAt").GetString().Should().Be(amended.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task AWholeOperationReturnIsLocatedAtAll()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostReturnAsync(fixture.Spain, code, Return("ESP", null));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/operations/{code}/returns/ESP/all");
        (await response.JsonAsync()).GetProperty("date").ValueKind.Should().Be(JsonValueKind.Null);
        var stored = await fixture.Admin.GetJsonAsync(response.Headers.Location.OriginalString);
        stored.GetProperty("version").GetInt32().Should().Be(1);
        stored.Int("arrests").Should().Be(5);
    }

    [Fact]
    public async Task AChangedBodyIsAnAmendmentWithTheNextVersionAndTheTotalsCountOnlyTheLatest()
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5))).StatusCode.Should().Be(HttpStatusCode.Created);

        var amended = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 8));

        amended.StatusCode.Should().Be(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        amended.ETag().Should().Be("\"2\"");
        amended.Headers.Location!.OriginalString.Should().Be($"/api/v1/operations/{code}/returns/ESP/{Day}");
        var body = await amended.JsonAsync();
        body.GetProperty("version").GetInt32().Should().Be(2);
        body.Int("arrests").Should().Be(8);
        var totals = await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals");
        totals.Long("arrests").Should().Be(8, "an amendment replaces the figures; 5 + 8 would double count");
        totals.GetProperty("reportedBy").GetProperty("arrests").GetInt32().Should().Be(1);
        totals.GetProperty("countriesReporting").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task TheIdenticalBodyAgainIsAcceptedWithTheSameVersionAndNothingWritten()
    {
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 6))).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var again = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 6));

        again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        again.ETag().Should().Be("\"2\"");
        var body = await again.JsonAsync();
        body.GetProperty("version").GetInt32().Should().Be(2);
        body.Int("arrests").Should().Be(6);
        (await HistoryCountAsync(code, "ESP", Day)).Should().Be(2);
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before, "a retry never counts twice");
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(6);
    }

    [Fact]
    public async Task GettingAReturnGivesItsCurrentVersionAndETag()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5));
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 7));

        var response = await fixture.Spain.GetAsync(ReturnAt(code, "ESP", Day));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.ETag().Should().Be("\"2\"");
        var body = await response.JsonAsync();
        body.GetProperty("version").GetInt32().Should().Be(2);
        body.Int("arrests").Should().Be(7);
        body.GetProperty("date").GetString().Should().Be(Day);
    }

    [Fact]
    public async Task TheReturnsOfACountryAreListed()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", "2026-11-01"));
        await PostReturnAsync(fixture.Spain, code, Return("ESP", "2026-11-03"));
        await PostReturnAsync(fixture.France, code, Return("FRA", "2026-11-01"));

        var list = await fixture.Admin.GetJsonAsync($"{ReturnsPath(code)}?country=ESP");

        var returns = list.GetProperty("returns").EnumerateArray().ToList();
        returns.Select(r => r.GetProperty("date").GetString()).Should().Equal("2026-11-01", "2026-11-03");
        returns.Should().OnlyContain(r => r.GetProperty("country").GetString() == "ESP" && r.GetProperty("version").GetInt32() == 1);
    }

    [Fact]
    public async Task TheHistoryListsEveryVersionWithWhoSentItAndWhichFieldsChangedButNeverTheKey()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, new { country = "ESP", date = Day, arrests = 5, victimsSafeguarded = 4, notes = "first" });
        await PostReturnAsync(fixture.Admin, code, new { country = "ESP", date = Day, arrests = 9, victimsSafeguarded = 4, notes = "corrected by the secretariat" });

        var response = await fixture.Spain.GetAsync($"{ReturnAt(code, "ESP", Day)}/history");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().NotContain(fixture.SpainKey).And.NotContain(fixture.AdminKey);
        var history = JsonDocument.Parse(text).RootElement;
        history.GetProperty("country").GetString().Should().Be("ESP");
        history.GetProperty("period").GetString().Should().Be(Day);
        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        versions.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(1, 2);

        versions[0].GetProperty("submittedBy").GetProperty("keyId").GetInt64().Should().Be(fixture.SpainKeyId);
        versions[0].GetProperty("submittedBy").GetProperty("label").GetString().Should().Be(ApiDrill.UnitLabel("ESP"));
        versions[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).Should().BeEquivalentTo("arrests", "victimsSafeguarded", "notes");
        versions[0].Int("arrests").Should().Be(5);
        versions[0].GetProperty("notes").GetString().Should().Be("first");

        versions[1].GetProperty("submittedBy").GetProperty("keyId").GetInt64().Should().Be(fixture.AdminKeyId);
        versions[1].GetProperty("submittedBy").GetProperty("label").GetString().Should().Be(ApiDrill.AdminLabel);
        versions[1].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).Should().BeEquivalentTo("arrests", "notes");
        versions[1].Int("arrests").Should().Be(9);
        versions[1].GetProperty("submittedAt").GetDateTime().Should().BeOnOrAfter(versions[0].GetProperty("submittedAt").GetDateTime());
    }

    [Fact]
    public async Task AStaleIfMatchIsRefusedWith412AndNothingChanges()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5));
        var current = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 6), WithHeader("If-Match", "\"1\""));
        current.StatusCode.Should().Be(HttpStatusCode.OK, "If-Match named the current version");
        current.ETag().Should().Be("\"2\"");
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var stale = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 7), WithHeader("If-Match", "\"1\""));

        var problem = await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "Precondition failed");
        problem.GetProperty("detail").GetString().Should().Contain("2");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
        var fresh = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 7), WithHeader("If-Match", "\"2\""));
        fresh.StatusCode.Should().Be(HttpStatusCode.OK);
        (await fresh.JsonAsync()).GetProperty("version").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task IfMatchStarOnAReturnThatDoesNotExistIs412AndCreatesNothing()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day), WithHeader("If-Match", "*"));

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "Precondition failed");
        (await fixture.Admin.GetAsync(ReturnAt(code, "ESP", Day))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().BeNull();
    }

    [Fact]
    public async Task TheSameIdempotencyKeyAndBodyReplaysTheFirstResponseAndWritesNothingNew()
    {
        var code = await fixture.NewOperationAsync();
        var first = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "madrid-0001"));
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        var firstBody = await first.Content.ReadAsStringAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var retry = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "madrid-0001"));

        retry.StatusCode.Should().Be(HttpStatusCode.Created, "a retry gets the first response, not a fresh 200");
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(firstBody);
        retry.Headers.Location!.OriginalString.Should().Be(first.Headers.Location!.OriginalString);
        retry.ETag().Should().Be("\"1\"");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
        (await HistoryCountAsync(code, "ESP", Day)).Should().Be(1);
    }

    [Fact]
    public async Task AReplayedIdempotencyKeyDoesNotUndoALaterAmendment()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "madrid-0002"));
        (await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 8))).StatusCode.Should().Be(HttpStatusCode.OK);

        var late = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "madrid-0002"));

        late.StatusCode.Should().Be(HttpStatusCode.Created);
        late.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        var current = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", Day));
        current.GetProperty("version").GetInt32().Should().Be(2);
        current.Int("arrests").Should().Be(8);
        (await HistoryCountAsync(code, "ESP", Day)).Should().Be(2);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyWithADifferentBodyIs422AndNothingChanges()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 5), WithHeader("Idempotency-Key", "madrid-0003"));
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var reused = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("Idempotency-Key", "madrid-0003"));

        var problem = await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key reused");
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
        (await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", Day))).Int("arrests").Should().Be(5);
    }

    [Fact]
    public async Task ANullMetricStaysNullInTheTotalsWhileZeroIsAReportedZero()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, new { country = "ESP", date = Day, arrests = 0, irregularMigrants = (int?)null });

        var totals = await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals");

        totals.Long("arrests").Should().Be(0);
        totals.GetProperty("reportedBy").GetProperty("arrests").GetInt32().Should().Be(1);
        totals.Long("irregularMigrants").Should().BeNull("nobody reported it");
        totals.GetProperty("reportedBy").GetProperty("irregularMigrants").GetInt32().Should().Be(0);
        totals.Long("investigationsOpened").Should().BeNull();
        var stored = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", Day));
        stored.Int("arrests").Should().Be(0);
        stored.Int("irregularMigrants").Should().BeNull();

        await PostReturnAsync(fixture.France, code, new { country = "FRA", date = Day, irregularMigrants = 3 });
        totals = await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals");
        totals.Long("arrests").Should().Be(0, "France did not report arrests; its blank is not added as a zero");
        totals.GetProperty("reportedBy").GetProperty("arrests").GetInt32().Should().Be(1);
        totals.Long("irregularMigrants").Should().Be(3);
        totals.GetProperty("reportedBy").GetProperty("irregularMigrants").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task AnIfMatchThatIsNotAnETagIsRefused()
    {
        var code = await fixture.NewOperationAsync();
        await PostReturnAsync(fixture.Spain, code, Return("ESP", Day));
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostReturnAsync(fixture.Spain, code, Return("ESP", Day, arrests: 9), WithHeader("If-Match", "version one"));

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "Precondition failed");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task AContentTypeWithoutCharsetIsAccepted()
    {
        var code = await fixture.NewOperationAsync();
        using var content = new StringContent("""{"country":"ESP","date":"2026-11-02","arrests":3}""");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await SendAsync(fixture.Spain, ReturnsPath(code), content);

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
