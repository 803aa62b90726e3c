using System.Net;
using System.Text;
using System.Text.Json;
using Liberterra.Core.Countries;
using Liberterra.Core.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests;

/// <summary>
/// The same mistake gets the same ProblemDetails on every route that can meet it: the API, the dashboard's pages and
/// its exports. The routes are read from the app's own endpoint table, so a route added later is checked too, and
/// its answer must match the others or the test names it.
/// </summary>
public sealed class OneProblemPerMistakeTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Seeded = "liberterra-iii";
    private const string Unknown = "no-such-operation";

    [Fact]
    public async Task AnUnknownOperationGetsTheSame404OnEveryRouteThatNamesOne()
    {
        var answers = new Dictionary<string, string>();
        foreach (var route in Routes().Where(r => r.Pattern.Contains("{code}", StringComparison.Ordinal)))
        {
            using var response = await SendAsync(route, Fill(route.Pattern, Unknown, "ESP"));
            answers[route.ToString()] = await ProblemAsync(response);
        }

        answers.Keys.Should().Contain([
            "GET /api/v1/operations/{code}/countries", "POST /api/v1/operations/{code}/returns", "POST /api/v1/operations/{code}/returns/batch",
            "POST /api/v1/operations/{code}/finalize", "GET /api/v1/operations/{code}/dataset", "POST /api/v1/operations/{code}/dataset/indicators",
            "DELETE /api/v1/operations/{code}/dataset/indicators/{indicator}", "GET /operations/{code}", "GET /operations/{code}/countries/{iso3}",
            "GET /operations/{code}/export/countries.csv",
        ]);
        answers.Should().AllSatisfy(answer => answer.Value.Should().Be(
            $"404 application/problem+json Operation not found | No operation has the code '{Unknown}'. | ", answer.Key));
    }

    [Fact]
    public async Task AnUnknownRegionGetsTheSame400WhereverARegionIsRead()
    {
        var refused = new Dictionary<string, string>();
        foreach (var route in Routes().Where(r => r.Method == "GET" && r.Pattern.Contains("{code}", StringComparison.Ordinal)))
        {
            // A route reads the region when adding an unknown one changes its answer.
            var path = Fill(route.Pattern, Seeded, "ESP");
            using var without = await SendAsync(route, path);
            using var with = await SendAsync(route, path + "?region=Atlantis");
            if (with.StatusCode != without.StatusCode)
            {
                refused[route.ToString()] = await ProblemAsync(with);
            }
        }

        refused.Keys.Should().BeEquivalentTo(
            ["GET /api/v1/operations/{code}/countries", "GET /operations/{code}", "GET /operations/{code}/export/countries.csv"],
            "routes without a region filter ignore the parameter; the three with one refuse it");
        refused.Should().AllSatisfy(answer => answer.Value.Should().Be(
            $"400 application/problem+json One or more validation errors occurred. |  | region: {RegionFilter.Rule("Atlantis")}", answer.Key));
    }

    [Fact]
    public async Task AnEmptyRegionMeansEveryRegionOnTheApiTheDashboardAndTheExport()
    {
        foreach (var path in new[] { $"/api/v1/operations/{Seeded}/countries?region=", $"/operations/{Seeded}?region=", $"/operations/{Seeded}/export/countries.csv?region=" })
        {
            (await seeded.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task AMalformedCountryCodeGetsTheSame400InPathsFiltersBodiesAndCsv()
    {
        var answers = new Dictionary<string, string>();
        foreach (var route in Routes().Where(r => r.Pattern.Contains("{country}", StringComparison.Ordinal) || r.Pattern.Contains("{iso3}", StringComparison.Ordinal)))
        {
            using var response = await SendAsync(route, Fill(route.Pattern, Seeded, "E5P"));
            answers[route.ToString()] = await ProblemAsync(response);
        }

        answers.Should().HaveCountGreaterThanOrEqualTo(3, "two API routes and the country page take a country in the path");
        var admin = await AdminAsync();
        foreach (var path in new[] { $"/api/v1/operations/{Seeded}/returns?country=E5P", "/api/v1/audit?country=E5P" })
        {
            using var response = await admin.GetAsync(path);
            answers["GET " + path] = await ProblemAsync(response);
        }

        using (var single = await admin.PostAsync($"/api/v1/operations/{Seeded}/returns", Json("""{"country":"E5P","date":null,"arrests":1}""")))
        {
            answers["POST a return"] = await ProblemAsync(single);
        }

        answers.Should().AllSatisfy(answer => answer.Value.Should().Be(
            $"400 application/problem+json One or more validation errors occurred. |  | country: {CountryCode.Rule}", answer.Key));

        // In a batch the same rule is reported per row, in the row's errors; the seeded operations are final, so a new one.
        var open = await ApiDrill.CreateOperationAsync(admin, "mistakes-drill");
        using var batch = await admin.PostAsync(
            $"/api/v1/operations/{open}/returns/batch?dryRun=true", new StringContent("country,date,arrests\nE5P,,1\n", Encoding.UTF8, "text/csv"));
        var rows = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()).RootElement;
        rows.GetProperty("errors")[0].GetProperty("messages").EnumerateArray().Select(m => m.GetString()).Should().Equal($"country: {CountryCode.Rule}");
    }

    private sealed record Route(string Method, string Pattern)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    /// <summary>Every route of the app with its method; a Razor page answers GET.</summary>
    private List<Route> Routes() =>
        seeded.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new Route(method, "/" + endpoint.RoutePattern.RawText!.Trim('/'))))
            .Distinct()
            .ToList();

    private static string Fill(string pattern, string code, string country) =>
        pattern.Replace("{code}", code, StringComparison.Ordinal).Replace("{country}", country, StringComparison.Ordinal)
            .Replace("{iso3}", country, StringComparison.Ordinal).Replace("{period}", "all", StringComparison.Ordinal)
            .Replace("{indicator}", "inspections", StringComparison.Ordinal);

    /// <summary>A write carries a body that is right in every other way, so the mistake under test is the only one.</summary>
    private async Task<HttpResponseMessage> SendAsync(Route route, string path)
    {
        var client = await AdminAsync();
        return route.Method switch
        {
            "GET" => await client.GetAsync(path),
            "POST" when route.Pattern.EndsWith("/returns", StringComparison.Ordinal) =>
                await client.PostAsync(path, Json("""{"country":"ESP","date":null,"arrests":1}""")),
            "POST" when route.Pattern.EndsWith("/returns/batch", StringComparison.Ordinal) =>
                await client.PostAsync(path, Json("""[{"country":"ESP","date":null,"arrests":1}]""")),
            "POST" when route.Pattern.EndsWith("/dataset/indicators", StringComparison.Ordinal) =>
                await client.PostAsync(path, Json("""{"code":"workplacesInspected","label":{"en":"Workplaces inspected"},"kind":"flow"}""")),
            "POST" => await client.PostAsync(path, null),
            "DELETE" => await client.DeleteAsync(path),
            _ => throw new InvalidOperationException($"No request is written for {route}."),
        };
    }

    private HttpClient? admin;

    private async Task<HttpClient> AdminAsync() => admin ??= seeded.App.ClientWithKey(await seeded.App.IssueKeyAsync(Role.Admin));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Status, media type, title, detail and errors: what a client reads from a problem.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "application/problem+json")
        {
            return $"{(int)response.StatusCode} {mediaType} (not a problem)";
        }

        var problem = JsonDocument.Parse(text).RootElement;
        string Text(string name) => problem.TryGetProperty(name, out var value) ? value.GetString() ?? string.Empty : string.Empty;
        var errors = problem.TryGetProperty("errors", out var map)
            ? string.Join("; ", map.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(v => v.GetString()))}"))
            : string.Empty;
        return $"{(int)response.StatusCode} {mediaType} {Text("title")} | {Text("detail")} | {errors}";
    }
}
