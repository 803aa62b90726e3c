using System.Net;
using System.Text.Json;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>Batches of returns as a JSON array or CSV: the import summary, dry runs, atomicity and country checks.</summary>
public sealed class WriteApiBatchTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private const string ThreeRows = """
        [
          {"country":"ESP","date":"2026-11-01","arrests":4,"victimsSafeguarded":3,"victimsByExploitation":{"sexual":2},"notes":"day one"},
          {"country":"ESP","date":"2026-11-02","arrests":6},
          {"country":"FRA","date":"2026-11-01","arrests":10,"officersDeployed":120}
        ]
        """;

    private const string OneBadRow = """
        [
          {"country":"ESP","date":"2026-11-01","arrests":4},
          {"country":"FRA","date":"2026-11-01","arrests":10},
          {"country":"FRA","date":"2026-11-09","arrests":-1}
        ]
        """;

    private static string Batch(string code, string query = "") => $"{ReturnsPath(code)}/batch{query}";

    private static void ShouldBeSummary(JsonElement summary, int created, int updated, int unchanged, int rejected)
    {
        summary.GetProperty("created").GetInt32().Should().Be(created, summary.ToString());
        summary.GetProperty("updated").GetInt32().Should().Be(updated, summary.ToString());
        summary.GetProperty("unchanged").GetInt32().Should().Be(unchanged, summary.ToString());
        summary.GetProperty("rejected").GetInt32().Should().Be(rejected, summary.ToString());
        summary.GetProperty("errors").GetArrayLength().Should().Be(rejected, summary.ToString());
    }

    [Fact]
    public async Task AJsonArrayBatchCreatesEveryRowAndSummarisesTheImport()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = await response.JsonAsync();
        ShouldBeSummary(summary, created: 3, updated: 0, unchanged: 0, rejected: 0);
        summary.GetProperty("dryRun").GetBoolean().Should().BeFalse();
        summary.GetProperty("atomic").GetBoolean().Should().BeTrue();
        summary.GetProperty("committed").GetBoolean().Should().BeTrue();
        var first = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-01"));
        first.GetProperty("version").GetInt32().Should().Be(1);
        first.GetProperty("victimsByExploitation").Int("sexual").Should().Be(2);
        first.GetProperty("notes").GetString().Should().Be("day one");
        var totals = await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals");
        totals.Long("arrests").Should().Be(20);
        totals.Long("officersDeployed").Should().Be(120);
        totals.GetProperty("countriesReporting").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task ACsvBatchWithTheSameFieldNamesIsImportedToo()
    {
        var code = await fixture.NewOperationAsync();
        const string csv = """
            country,date,arrests,victimsSafeguarded,victimsByExploitation.sexual,notes
            ESP,2026-11-01,4,3,2,"Madrid, Barcelona"
            ESP,2026-11-02,6,,,
            SEN,,12,9,,whole operation
            """;

        var response = await PostRawAsync(fixture.Admin, Batch(code), csv, "text/csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ShouldBeSummary(await response.JsonAsync(), created: 3, updated: 0, unchanged: 0, rejected: 0);
        var madrid = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-01"));
        madrid.Int("arrests").Should().Be(4);
        madrid.Int("victimsSafeguarded").Should().Be(3);
        madrid.GetProperty("victimsByExploitation").Int("sexual").Should().Be(2);
        madrid.GetProperty("notes").GetString().Should().Be("Madrid, Barcelona");
        var second = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-02"));
        second.Int("victimsSafeguarded").Should().BeNull("an empty cell is not reported, not zero");
        var senegal = await fixture.Admin.GetJsonAsync(ReturnAt(code, "SEN", null));
        senegal.Int("arrests").Should().Be(12);
        senegal.GetProperty("date").ValueKind.Should().Be(JsonValueKind.Null);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(22);
    }

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\r", false)]
    public async Task ACsvBatchSavedByExcelIsImported(string lineEnding, bool byteOrderMark)
    {
        // Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CRLF; older Mac exports end them with CR.
        var code = await fixture.NewOperationAsync();
        var csv = (byteOrderMark ? "\uFEFF" : string.Empty)
            + string.Join(lineEnding, "country,date,arrests,notes", "ESP,2026-11-01,4,\"Madrid,\r\nBarcelona\"", "SEN,,12,") + lineEnding;

        var response = await PostRawAsync(fixture.Admin, Batch(code), csv, "text/csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ShouldBeSummary(await response.JsonAsync(), created: 2, updated: 0, unchanged: 0, rejected: 0);
        var madrid = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-01"));
        madrid.Int("arrests").Should().Be(4);
        madrid.GetProperty("notes").GetString().Should().Be("Madrid,\r\nBarcelona", "a line break inside quotes is text");
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(16);
    }

    [Fact]
    public async Task ACsvBatchWithAnUnknownColumnIsA400AndWritesNothing()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code), "country,date,arest\nESP,2026-11-01,4\n", "text/csv");

        (await response.ShouldBeValidationProblemAsync("body")).Should().Contain(m => m.Contains("arest", StringComparison.Ordinal));
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task ADryRunValidatesAndReportsButWritesNothing()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code, "?dryRun=true"), ThreeRows, "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = await response.JsonAsync();
        ShouldBeSummary(summary, created: 3, updated: 0, unchanged: 0, rejected: 0);
        summary.GetProperty("dryRun").GetBoolean().Should().BeTrue();
        summary.GetProperty("committed").GetBoolean().Should().BeFalse();
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
        (await fixture.Admin.GetAsync(ReturnAt(code, "ESP", "2026-11-01"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADryRunReportsTheBadRowsWithoutWritingTheGoodOnes()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code, "?dryRun=true&atomic=false"), OneBadRow, "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ShouldBeSummary(await response.JsonAsync(), created: 2, updated: 0, unchanged: 0, rejected: 1);
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task ByDefaultOneBadRowRejectsTheWholeBatchWithAProblemCarryingTheSummary()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code), OneBadRow, "application/json");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The batch was rejected; nothing was written");
        problem.GetProperty("detail").GetString().Should().Contain("atomic=false");
        var summary = problem.GetProperty("summary");
        summary.GetProperty("rejected").GetInt32().Should().Be(1);
        summary.GetProperty("committed").GetBoolean().Should().BeFalse();
        var error = summary.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("row").GetInt32().Should().Be(3);
        error.GetProperty("country").GetString().Should().Be("FRA");
        error.GetProperty("date").GetString().Should().Be("2026-11-09");
        var messages = error.GetProperty("messages").EnumerateArray().Select(m => m.GetString()).ToList();
        messages.Should().Contain(m => m!.StartsWith("arrests", StringComparison.Ordinal) && m.Contains("-1", StringComparison.Ordinal));
        messages.Should().Contain(m => m!.StartsWith("date", StringComparison.Ordinal) && m.Contains("2026-11-09", StringComparison.Ordinal));
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before, "an atomic batch with a bad row writes nothing");
    }

    [Fact]
    public async Task WithAtomicFalseTheValidRowsAreKeptAndTheBadOnesReported()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostRawAsync(fixture.Admin, Batch(code, "?atomic=false"), OneBadRow, "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = await response.JsonAsync();
        ShouldBeSummary(summary, created: 2, updated: 0, unchanged: 0, rejected: 1);
        summary.GetProperty("atomic").GetBoolean().Should().BeFalse();
        summary.GetProperty("committed").GetBoolean().Should().BeTrue();
        summary.GetProperty("errors")[0].GetProperty("row").GetInt32().Should().Be(3);
        (await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-01"))).Int("arrests").Should().Be(4);
        (await fixture.Admin.GetJsonAsync(ReturnAt(code, "FRA", "2026-11-01"))).Int("arrests").Should().Be(10);
        (await fixture.Admin.GetAsync(ReturnAt(code, "FRA", "2026-11-09"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(14);
    }

    [Fact]
    public async Task RowsThatCannotBeParsedAreReportedByRowNumber()
    {
        var code = await fixture.NewOperationAsync();
        const string body = """
            [
              {"country":"ESP","date":"2026-11-01","arrests":4},
              {"country":"ESP","date":"2026-11-02","arest":4},
              {"country":"ESP","date":"2026-11-03","arrests":"4"},
              {"country":"ESP","date":"2026-11-01","arrests":5}
            ]
            """;

        var response = await PostRawAsync(fixture.Admin, Batch(code, "?atomic=false"), body, "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = await response.JsonAsync();
        ShouldBeSummary(summary, created: 1, updated: 0, unchanged: 0, rejected: 3);
        var errors = summary.GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("row").GetInt32()).Should().Equal(2, 3, 4);
        errors[0].GetProperty("messages")[0].GetString().Should().Contain("arest");
        errors[1].GetProperty("messages")[0].GetString().Should().Contain("arrests");
        errors[2].GetProperty("messages")[0].GetString().Should().Contain("more than once");
        (await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-01"))).Int("arrests").Should().Be(4, "a row repeated in one batch is refused, not applied twice");
    }

    [Fact]
    public async Task ABatchMixingDailyAndWholeOperationRowsForOneCountryIsRejected()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code),
            """[{"country":"SEN","date":"2026-11-01","arrests":1},{"country":"SEN","date":null,"arrests":9}]""", "application/json");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The batch was rejected; nothing was written");
        var error = problem.GetProperty("summary").GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("row").GetInt32().Should().Be(2);
        error.GetProperty("country").GetString().Should().Be("SEN");
        error.GetProperty("messages")[0].GetString().Should().Contain("granularity");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task ACsvBatchReportsItsBadRowsByTheirPositionAmongTheDataRows()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostRawAsync(fixture.Admin, Batch(code, "?atomic=false"),
            "country,date,arrests\nESP,2026-11-01,3\nESP,2026-11-02,three\nSEN,2026-11-12,4\n", "text/csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = await response.JsonAsync();
        ShouldBeSummary(summary, created: 1, updated: 0, unchanged: 0, rejected: 2);
        var errors = summary.GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("row").GetInt32()).Should().Equal(2, 3);
        errors[0].GetProperty("country").GetString().Should().Be("ESP");
        errors[0].GetProperty("date").GetString().Should().Be("2026-11-02");
        errors[0].GetProperty("messages")[0].GetString().Should().Contain("three");
        errors[1].GetProperty("country").GetString().Should().Be("SEN");
        errors[1].GetProperty("date").GetString().Should().Be("2026-11-12");
    }

    [Fact]
    public async Task ANationalUnitsBatchWithAnotherCountrysRowIs403AndWritesNothing()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Spain, Batch(code, "?atomic=false"), ThreeRows, "application/json");

        (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden")).GetProperty("detail").GetString().Should().Contain("ESP").And.Contain("3");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task ANationalUnitsCsvBatchWithAnotherCountrysRowIs403AndWritesNothing()
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.France, Batch(code), "country,date,arrests\nFRA,2026-11-01,1\nesp,2026-11-01,2\n", "text/csv");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }

    [Fact]
    public async Task ANationalUnitMayBatchItsOwnCountrysRows()
    {
        var code = await fixture.NewOperationAsync();

        var response = await PostRawAsync(fixture.Spain, Batch(code), """[{"country":"ESP","date":"2026-11-01","arrests":1},{"country":"ESP","date":"2026-11-02","arrests":2}]""", "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ShouldBeSummary(await response.JsonAsync(), created: 2, updated: 0, unchanged: 0, rejected: 0);
        var history = await fixture.Admin.GetJsonAsync($"{ReturnAt(code, "ESP", "2026-11-02")}/history");
        history.GetProperty("versions")[0].GetProperty("submittedBy").GetProperty("keyId").GetInt64().Should().Be(fixture.SpainKeyId);
    }

    [Fact]
    public async Task ResendingTheSameBatchLeavesEveryRowUnchanged()
    {
        var code = await fixture.NewOperationAsync();
        (await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json")).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var again = await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json");

        again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        ShouldBeSummary(await again.JsonAsync(), created: 0, updated: 0, unchanged: 3, rejected: 0);
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before, "a resent batch never counts twice");
    }

    [Fact]
    public async Task ABatchThatChangesSomeRowsAmendsThemAndLeavesTheRest()
    {
        var code = await fixture.NewOperationAsync();
        (await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await PostRawAsync(fixture.Admin, Batch(code), ThreeRows.Replace("\"arrests\":6", "\"arrests\":7", StringComparison.Ordinal), "application/json");

        ShouldBeSummary(await response.JsonAsync(), created: 0, updated: 1, unchanged: 2, rejected: 0);
        var amended = await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-02"));
        amended.GetProperty("version").GetInt32().Should().Be(2);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}/totals")).Long("arrests").Should().Be(21);
    }

    [Fact]
    public async Task ABatchWithAnIdempotencyKeyReplaysItsFirstSummary()
    {
        var code = await fixture.NewOperationAsync();
        var first = await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json", WithHeader("Idempotency-Key", "batch-1"));
        var firstBody = await first.Content.ReadAsStringAsync();

        var retry = await PostRawAsync(fixture.Admin, Batch(code), ThreeRows, "application/json", WithHeader("Idempotency-Key", "batch-1"));
        var reused = await PostRawAsync(fixture.Admin, Batch(code), OneBadRow, "application/json", WithHeader("Idempotency-Key", "batch-1"));

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(firstBody, "the first summary (3 created) is replayed, not a fresh one (3 unchanged)");
        await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key reused");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"country":"ESP"}""")]
    [InlineData("[1,2")]
    public async Task ABatchThatIsNotAJsonArrayIsA400(string body)
    {
        var code = await fixture.NewOperationAsync();
        var before = await SnapshotAsync(fixture.App, fixture.Admin, code);

        var response = await PostRawAsync(fixture.Admin, Batch(code), body, "application/json");

        await response.ShouldBeValidationProblemAsync("body");
        (await SnapshotAsync(fixture.App, fixture.Admin, code)).Should().Be(before);
    }
}
