using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Liberterra.Core.Security;

namespace Liberterra.Web.Tests;

/// <summary>What surrounds the API: health, the OpenAPI description, the home page and the request log.</summary>
public sealed class PlatformTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    [Fact]
    public async Task LivenessReportsHealthy()
    {
        var response = await seeded.Client.GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task ReadinessReportsEachCheckAsUncachedJson()
    {
        var response = await seeded.Client.GetAsync("/health/ready");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        response.Headers.CacheControl?.NoStore.Should().BeTrue();
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryRoute()
    {
        var document = await seeded.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        paths.Should().BeEquivalentTo(
            "/api/v1/operations",
            "/api/v1/operations/{code}",
            "/api/v1/operations/{code}/totals",
            "/api/v1/operations/{code}/regions",
            "/api/v1/operations/{code}/countries",
            "/api/v1/operations/{code}/timeline",
            "/api/v1/operations/{code}/completeness",
            "/api/v1/operations/{code}/dataset",
            "/api/v1/operations/{code}/dataset/indicators",
            "/api/v1/operations/{code}/dataset/indicators/{indicator}",
            "/api/v1/operations/{code}/finalize",
            "/api/v1/operations/{code}/reopen",
            "/api/v1/operations/{code}/returns",
            "/api/v1/operations/{code}/returns/batch",
            "/api/v1/operations/{code}/returns/{country}/{period}",
            "/api/v1/operations/{code}/returns/{country}/{period}/history",
            "/api/v1/audit");
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString().Should().Be("X-Api-Key");
        var submit = document.GetProperty("paths").GetProperty("/api/v1/operations/{code}/returns").GetProperty("post");
        submit.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _).Should().BeTrue();
        submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).Should().Contain(["200", "201", "400", "401", "403", "404", "409", "412", "413", "415", "422", "429"]);
        var countries = document.GetProperty("paths").GetProperty("/api/v1/operations/{code}/countries").GetProperty("get");
        countries.GetProperty("operationId").GetString().Should().Be("GetCountries");
        countries.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .Should().Contain(["application/json", "text/csv"]);
        countries.GetProperty("responses").TryGetProperty("404", out _).Should().BeTrue();
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        var response = await seeded.Client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task TheHomePageShowsTheLatestOperationsHeadlineTotals()
    {
        var html = await seeded.Client.GetStringAsync("/");
        var document = new HtmlParser().ParseDocument(html);

        document.QuerySelector("h1")!.TextContent.Should().Be("Liberterra III");
        string Card(string metric) => document.QuerySelector($".card[data-metric='{metric}'] .value")!.TextContent;
        Card("arrests").Should().Be("3,744");
        Card("victimsSafeguarded").Should().Be("4,414");
        Card("irregularMigrants").Should().Be("12,992");
        Card("countries").Should().Be("119");
        document.QuerySelector(".notice")!.TextContent.Should().Contain("illustrative");
    }

    [Fact]
    public async Task EveryRequestIsLoggedWithMethodPathStatusElapsedTimeTraceIdAndTheCallersKeyAndRole()
    {
        var key = await seeded.App.IssueKeyAsync(Role.Analyst, label: "request log probe");
        var keyId = await seeded.App.KeyIdAsync(key);

        await seeded.Client.GetAsync("/api/v1/operations/liberterra-iii/totals?probe=1");
        using var keyed = seeded.App.ClientWithKey(key);
        await keyed.GetAsync("/api/v1/operations/liberterra-iii/regions?probe=2");

        var lines = seeded.App.LogLines.ToList();
        lines.Should().Contain(line =>
            line.Contains("HTTP GET /api/v1/operations/liberterra-iii/totals responded 200 in ", StringComparison.Ordinal)
            && Regex.IsMatch(line, @" in \d+\.\d{3} ms \(trace [0-9A-Za-z]+, key null, role null\)$"));
        lines.Should().Contain(line =>
            line.Contains("HTTP GET /api/v1/operations/liberterra-iii/regions responded 200 in ", StringComparison.Ordinal)
            && line.EndsWith($", key {keyId}, role analyst)", StringComparison.Ordinal));
        lines.Should().NotContain(line => line.Contains("probe=", StringComparison.Ordinal) || line.Contains(key, StringComparison.Ordinal));
    }
}
