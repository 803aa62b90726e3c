using System.Net;
using System.Net.Http.Json;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>Admins create, finalize and reopen operations; nobody else may.</summary>
public sealed class WriteApiAdminTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private static object NewOperation(string code) => new
    {
        code,
        name = "Liberterra IV",
        startDate = "2026-11-01",
        endDate = "2026-11-12",
        participants = new[] { "SEN", "ESP", "FRA" },
    };

    [Fact]
    public async Task AnAdminCreatesAnOperationAndGetsItsLocation()
    {
        var response = await fixture.Admin.PostAsJsonAsync("/api/v1/operations", NewOperation("liberterra-iv"));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.Should().Be("/api/v1/operations/liberterra-iv");
        var body = await response.JsonAsync();
        body.GetProperty("code").GetString().Should().Be("liberterra-iv");
        body.GetProperty("status").GetString().Should().Be("open");
        var stored = await fixture.Analyst.GetJsonAsync(response.Headers.Location.OriginalString);
        stored.GetProperty("name").GetString().Should().Be("Liberterra IV");
        stored.GetProperty("startDate").GetString().Should().Be("2026-11-01");
        stored.GetProperty("endDate").GetString().Should().Be("2026-11-12");
        stored.GetProperty("status").GetString().Should().Be("open");
        stored.GetProperty("countriesParticipating").GetInt32().Should().Be(3);
        stored.GetProperty("participants").EnumerateArray().Select(p => p.GetString()).Should().Equal("ESP", "FRA", "SEN");
        var listed = await fixture.Analyst.GetJsonAsync("/api/v1/operations");
        listed.EnumerateArray().Select(o => o.GetProperty("code").GetString()).Should().Contain("liberterra-iv");
        var totals = await fixture.Analyst.GetJsonAsync("/api/v1/operations/liberterra-iv/totals");
        totals.GetProperty("countriesReporting").GetInt32().Should().Be(0);
        totals.Long("arrests").Should().BeNull("nothing has been reported yet");
    }

    [Theory]
    [InlineData("liberterra-iii")]
    [InlineData("duplicate-drill")]
    public async Task ADuplicateCodeIs409(string code)
    {
        if (code == "duplicate-drill")
        {
            (await fixture.Admin.PostAsJsonAsync("/api/v1/operations", NewOperation(code))).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var before = await fixture.Admin.GetStringAsync($"/api/v1/operations/{code}");

        var response = await fixture.Admin.PostAsJsonAsync("/api/v1/operations", NewOperation(code));

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation exists")).GetProperty("detail").GetString().Should().Contain(code);
        (await fixture.Admin.GetStringAsync($"/api/v1/operations/{code}")).Should().Be(before, "the existing operation is left as it was");
    }

    [Fact]
    public async Task AnInvalidOperationIsA400WithAnErrorForEachField()
    {
        var response = await fixture.Admin.PostAsJsonAsync("/api/v1/operations", new
        {
            code = "Not A Code",
            name = " ",
            startDate = "2026-11-12",
            endDate = "2026-11-01",
            participants = new[] { "ESP", "XXX", "ESP" },
        });

        (await response.ShouldBeValidationProblemAsync("code")).Should().Contain(m => m.Contains("lower-case", StringComparison.Ordinal));
        var errors = (await response.JsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("code", "name", "endDate", "participants");
        var participants = errors.GetProperty("participants").EnumerateArray().Select(m => m.GetString()).ToList();
        participants.Should().Contain(m => m!.Contains("XXX", StringComparison.Ordinal));
        participants.Should().Contain(m => m!.Contains("ESP", StringComparison.Ordinal));
        (await fixture.Admin.GetAsync("/api/v1/operations/Not%20A%20Code")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{}""", "code")]
    [InlineData("""{"code":"op-a","name":"A","endDate":"2026-11-01","participants":["ESP"]}""", "startDate")]
    [InlineData("""{"code":"op-b","name":"B","startDate":"01/11/2026","endDate":"2026-11-01","participants":["ESP"]}""", "startDate")]
    [InlineData("""{"code":"op-c","name":"C","startDate":"2026-11-01","endDate":"2026-11-01","participants":[]}""", "participants")]
    [InlineData("""{"code":"op-d","name":"D","startDate":"2026-11-01","endDate":"2026-11-01","participants":["ESP"],"status":"final"}""", "status")]
    [InlineData("""{"code":"op-e","name":"E","startDate":"2026-01-01","endDate":"2027-06-01","participants":["ESP"]}""", "endDate")]
    [InlineData("""{"code":"op-f","name":"F\u0000","startDate":"2026-11-01","endDate":"2026-11-01","participants":["ESP"]}""", "name")]
    public async Task AnIncompleteOrMistypedOperationIsA400NamingTheField(string body, string field)
    {
        var response = await PostRawAsync(fixture.Admin, "/api/v1/operations", body, "application/json");

        await response.ShouldBeValidationProblemAsync(field);
        var listed = await fixture.Admin.GetJsonAsync("/api/v1/operations");
        listed.EnumerateArray().Select(o => o.GetProperty("code").GetString()).Should().NotContain(c => c!.StartsWith("op-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FinalizeAndReopenFlipTheOperationsStatus()
    {
        var code = await fixture.NewOperationAsync();

        var finalized = await fixture.Admin.PostAsync($"/api/v1/operations/{code}/finalize", null);

        finalized.StatusCode.Should().Be(HttpStatusCode.OK, await finalized.Content.ReadAsStringAsync());
        (await finalized.JsonAsync()).GetProperty("status").GetString().Should().Be("final");
        (await fixture.Analyst.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("final");
        (await fixture.Analyst.GetJsonAsync("/api/v1/operations")).EnumerateArray()
            .Single(o => o.GetProperty("code").GetString() == code).GetProperty("status").GetString().Should().Be("final");

        var reopened = await fixture.Admin.PostAsync($"/api/v1/operations/{code}/reopen", null);

        reopened.StatusCode.Should().Be(HttpStatusCode.OK, await reopened.Content.ReadAsStringAsync());
        (await reopened.JsonAsync()).GetProperty("status").GetString().Should().Be("open");
        (await fixture.Analyst.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("open");
    }

    [Theory]
    [InlineData("finalize")]
    [InlineData("reopen")]
    public async Task FinalizingOrReopeningAnUnknownOperationIs404(string action)
    {
        var response = await fixture.Admin.PostAsync($"/api/v1/operations/no-such-operation/{action}", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Operation not found");
    }

    [Theory]
    [InlineData("national-unit")]
    [InlineData("analyst")]
    public async Task OnlyAnAdminMayCreateFinalizeOrReopenOtherRolesGet403(string role)
    {
        var code = await fixture.NewOperationAsync();
        var client = role == "analyst" ? fixture.Analyst : fixture.Spain;

        var create = await client.PostAsJsonAsync("/api/v1/operations", NewOperation($"by-{role}"));
        var finalize = await client.PostAsync($"/api/v1/operations/{code}/finalize", null);
        (await fixture.Admin.PostAsync($"/api/v1/operations/{code}/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var reopen = await client.PostAsync($"/api/v1/operations/{code}/reopen", null);

        foreach (var response in new[] { create, finalize, reopen })
        {
            (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Forbidden")).GetProperty("detail").GetString().Should().Contain("role");
        }

        (await fixture.Admin.GetAsync($"/api/v1/operations/by-{role}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("final", "the refused reopen changed nothing");
    }

    [Fact]
    public async Task WithoutAKeyCreateFinalizeAndReopenAre401()
    {
        var code = await fixture.NewOperationAsync();

        var create = await fixture.Anonymous.PostAsJsonAsync("/api/v1/operations", NewOperation("anonymous-op"));
        var finalize = await fixture.Anonymous.PostAsync($"/api/v1/operations/{code}/finalize", null);
        var reopen = await fixture.Anonymous.PostAsync($"/api/v1/operations/{code}/reopen", null);

        foreach (var response in new[] { create, finalize, reopen })
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        }

        (await fixture.Admin.GetJsonAsync($"/api/v1/operations/{code}")).GetProperty("status").GetString().Should().Be("open");
    }
}
