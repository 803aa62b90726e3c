using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Cli;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests;

/// <summary>
/// Every endpoint × every kind of caller, in Production (no anonymous reads). The table below is the policy:
/// reads need any valid key; a national unit reads aggregates and only its own country's returns, and writes only
/// its own country's; analysts only read; admin-only routes refuse everyone else. A missing, unknown or revoked key
/// is a 401, a wrong role or another country a 403, and both are ProblemDetails.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixFixture fixture) : IClassFixture<AuthorizationMatrixFixture>
{
    private const string Three = "/api/v1/operations/liberterra-iii";
    private const string Drill = "/api/v1/operations/" + AuthorizationMatrixFixture.DrillCode;
    private const string StatusOp = "/api/v1/operations/" + AuthorizationMatrixFixture.StatusOpCode;

    /// <summary>Either of these statuses is right: a first write is 201, the same return written again by another caller is 200.</summary>
    private static readonly Expected Written = new(201, 200);

    /// <summary>
    /// The policy, one row per endpoint (and per variant that tries to get round it), one column per caller:
    /// anonymous, an unknown key, a revoked admin key, the national unit of ESP, the national unit of FRA, an analyst, an admin.
    /// The ESP return read is a seeded one of liberterra-iii; writes go to the open operation the fixture creates.
    /// </summary>
    private static readonly Row[] Table =
    [
        //                                                                                                            anon  invalid revoked NU-ESP   NU-FRA   analyst admin
        new("GET operations",                    Get("/api/v1/operations"),                                           401,  401,    401,    200,     200,     200,    200),
        new("GET operation",                     Get(Three),                                                          401,  401,    401,    200,     200,     200,    200),
        new("GET totals",                        Get($"{Three}/totals"),                                              401,  401,    401,    200,     200,     200,    200),
        new("GET regions",                       Get($"{Three}/regions"),                                             401,  401,    401,    200,     200,     200,    200),
        new("GET countries",                     Get($"{Three}/countries"),                                           401,  401,    401,    200,     200,     200,    200),
        new("GET timeline",                      Get($"{Three}/timeline"),                                            401,  401,    401,    200,     200,     200,    200),
        new("GET completeness",                  Get($"{Three}/completeness"),                                        401,  401,    401,    200,     200,     200,    200),
        new("GET returns (own country)",         Get($"{Three}/returns"),                                             401,  401,    401,    200,     200,     200,    200),
        new("GET returns?country=ESP",           Get($"{Three}/returns?country=ESP"),                                 401,  401,    401,    200,     403,     200,    200),
        new("GET returns?country=esp",           Get($"{Three}/returns?country=esp"),                                 401,  401,    401,    200,     403,     200,    200),
        new("GET returns?country=%20ESP%20",     Get($"{Three}/returns?country=%20ESP%20"),                           401,  401,    401,    200,     403,     200,    200),
        new("GET ESP return",                    Get($"{Three}/returns/ESP/2025-11-10"),                              401,  401,    401,    200,     403,     200,    200),
        new("GET esp return (lower case)",       Get($"{Three}/returns/esp/2025-11-10"),                              401,  401,    401,    200,     403,     200,    200),
        new("GET ESP return history",            Get($"{Three}/returns/ESP/2025-11-10/history"),                      401,  401,    401,    200,     403,     200,    200),
        new("POST operation",                    Post("/api/v1/operations", NewOperation),                            401,  401,    401,    403,     403,     403,    201),
        new("POST finalize",                     Post($"{StatusOp}/finalize", null),                                  401,  401,    401,    403,     403,     403,    200),
        new("POST reopen",                       Post($"{StatusOp}/reopen", null),                                    401,  401,    401,    403,     403,     403,    200),
        new("POST ESP return",                   Post($"{Drill}/returns", () => Json(EspReturn("ESP", "2026-11-01"))), 401, 401,    401,    Written, 403,     403,    Written),
        new("POST esp return (lower case)",      Post($"{Drill}/returns", () => Json(EspReturn("esp", "2026-11-01"))), 401, 401,    401,    Written, 403,     403,    Written),
        new("POST FRA return",                   Post($"{Drill}/returns", () => Json(EspReturn("FRA", "2026-11-01"))), 401, 401,    401,    403,     Written, 403,    Written),
        new("POST ESP batch (JSON)",             Post($"{Drill}/returns/batch", () => Json($"[{EspReturn("ESP", "2026-11-02")}]")),
                                                                                                                      401,  401,    401,    200,     403,     403,    200),
        new("POST ESP batch (CSV)",              Post($"{Drill}/returns/batch", () => Csv("country,date,arrests\nESP,2026-11-03,4\n")),
                                                                                                                      401,  401,    401,    200,     403,     403,    200),
        new("POST ESP batch (dry run)",          Post($"{Drill}/returns/batch?dryRun=true", () => Json($"[{EspReturn("ESP", "2026-11-04")}]")),
                                                                                                                      401,  401,    401,    200,     403,     403,    200),
        new("POST ESP+FRA batch",                Post($"{Drill}/returns/batch", () => Json($"[{EspReturn("ESP", "2026-11-05")},{EspReturn("FRA", "2026-11-05")}]")),
                                                                                                                      401,  401,    401,    403,     403,     403,    200),
        new("GET audit",                         Get("/api/v1/audit"),                                                401,  401,    401,    403,     403,     403,    200),
        new("GET audit?country=ESP",             Get("/api/v1/audit?country=ESP"),                                    401,  401,    401,    403,     403,     403,    200),
        new("GET /health/live (public)",         Get("/health/live"),                                                 200,  200,    200,    200,     200,     200,    200),
        new("GET /health/ready (public)",        Get("/health/ready"),                                                200,  200,    200,    200,     200,     200,    200),
    ];

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Table)
        {
            for (var column = 0; column < AuthorizationMatrixFixture.Callers.Count; column++)
            {
                data.Add(row.Name, AuthorizationMatrixFixture.Callers[column], row.ByCaller[column].ToString());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachCallerGetsTheStatusThePolicyGivesIt(string endpoint, string caller, string expected)
    {
        var row = Table.Single(r => r.Name == endpoint);
        var want = row.ByCaller[AuthorizationMatrixFixture.Callers.ToList().IndexOf(caller)];
        using var client = fixture.ClientFor(caller);
        using var request = row.Request.Build();

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        want.Statuses.Should().Contain((int)response.StatusCode, $"{caller} calling {endpoint} should get {expected}; the body was {body}");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
            using var problem = JsonDocument.Parse(body);
            problem.RootElement.GetProperty("status").GetInt32().Should().Be((int)response.StatusCode);
            problem.RootElement.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void TheTableCoversEveryApiEndpointTheAppMaps()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        var covered = Table.Select(r => $"{r.Request.Method} {Template(r.Request.Path)}").ToHashSet(StringComparer.Ordinal);

        mapped.Should().NotBeEmpty();
        mapped.Except(covered).Should().BeEmpty("every /api endpoint needs a row in the authorization table");
    }

    [Fact]
    public async Task ANationalUnitsUnfilteredListHoldsOnlyItsOwnCountrysReturns()
    {
        using var client = fixture.ClientFor(AuthorizationMatrixFixture.NationalUnitFra);

        var list = await client.GetFromJsonAsync<JsonElement>($"{Three}/returns");

        var countries = list.GetProperty("returns").EnumerateArray().Select(r => r.GetProperty("country").GetString()).ToList();
        countries.Should().NotBeEmpty().And.OnlyContain(c => c == "FRA");
    }

    [Fact]
    public async Task AForbiddenWriteChangesNothing()
    {
        using var admin = fixture.ClientFor(AuthorizationMatrixFixture.Admin);
        using var france = fixture.ClientFor(AuthorizationMatrixFixture.NationalUnitFra);
        using var analyst = fixture.ClientFor(AuthorizationMatrixFixture.Analyst);
        var before = await admin.GetStringAsync($"{Drill}/returns?country=SEN");

        using var byFrance = await france.PostAsync($"{Drill}/returns", Json(EspReturn("SEN", "2026-11-03")));
        using var byAnalyst = await analyst.PostAsync($"{Drill}/returns", Json(EspReturn("SEN", "2026-11-03")));
        using var batchByFrance = await france.PostAsync($"{Drill}/returns/batch?atomic=false", Json($"[{EspReturn("FRA", "2026-11-03")},{EspReturn("SEN", "2026-11-03")}]"));

        byFrance.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        byAnalyst.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        batchByFrance.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.GetStringAsync($"{Drill}/returns?country=SEN")).Should().Be(before);
        (await admin.GetFromJsonAsync<JsonElement>($"{Drill}/returns?country=SEN")).GetProperty("returns").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("lbt_short")]
    [InlineData("not-a-key-at-all")]
    [InlineData("lbt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")]
    [InlineData("")]
    public async Task AMalformedKeyIsA401ProblemEvenForAnAdminRoute(string key)
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.TryAddWithoutValidation("X-Api-Key", key);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task TwoKeyHeadersAreRefusedEvenWhenOneIsAnAdminKey()
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.TryAddWithoutValidation("X-Api-Key", [fixture.Key(AuthorizationMatrixFixture.Admin), fixture.Key(AuthorizationMatrixFixture.NationalUnitEsp)]);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task AnonymousReadsInDevelopmentNeverExtendToWritesOrAdminRoutes()
    {
        using var app = new LiberterraApp { EnvironmentName = "Development" };
        using var anonymous = app.CreateClient();

        using var totals = await anonymous.GetAsync($"{Three}/totals");
        using var write = await anonymous.PostAsync($"{Three}/returns", Json(EspReturn("ESP", "2025-11-10")));
        using var batch = await anonymous.PostAsync($"{Three}/returns/batch", Json($"[{EspReturn("ESP", "2025-11-10")}]"));
        using var create = await anonymous.PostAsync("/api/v1/operations", NewOperation());
        using var reopen = await anonymous.PostAsync($"{Three}/reopen", null);
        using var audit = await anonymous.GetAsync("/api/v1/audit");

        totals.StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var refused in new[] { write, batch, create, reopen, audit })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized, refused.RequestMessage!.RequestUri!.ToString());
            refused.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        }

        (await anonymous.GetFromJsonAsync<JsonElement>($"{Three}")).GetProperty("status").GetString().Should().Be("final", "the refused reopen changed nothing");
    }

    private static string Normalise(string template) => "/" + template.Trim('/');

    /// <summary>Turns a concrete path of the table back into the route template it exercises.</summary>
    private static string Template(string path)
    {
        var segments = path.Split('?')[0].Trim('/').Split('/');
        if (segments is ["api", "v1", "operations", _, ..])
        {
            segments[3] = "{code}";
            if (segments is [.., "returns", _, _] or [.., "returns", _, _, "history"])
            {
                segments[5] = "{country}";
                segments[6] = "{period}";
            }
        }

        return "/" + string.Join('/', segments);
    }

    private static string EspReturn(string country, string date) =>
        $$"""{"country":"{{country}}","date":"{{date}}","arrests":3,"arrestsTraffickingSmuggling":1,"officersDeployed":12,"notes":"matrix"}""";

    private static HttpContent NewOperation() => Json(
        """{"code":"matrix-created","name":"Created by the matrix","startDate":"2026-12-01","endDate":"2026-12-02","participants":["ESP"]}""");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    private static RequestSpec Get(string path) => new("GET", path, null);

    private static RequestSpec Post(string path, Func<HttpContent>? body) => new("POST", path, body);

    private sealed record RequestSpec(string Method, string Path, Func<HttpContent>? Body)
    {
        public HttpRequestMessage Build() => new(new HttpMethod(Method), Path) { Content = Body?.Invoke() };
    }

    /// <summary>The status (or the statuses, any of which is right) one caller should get.</summary>
    private sealed record Expected(params int[] Statuses)
    {
        public static implicit operator Expected(int status) => new(status);

        public override string ToString() => string.Join(" or ", Statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)));
    }

    private sealed record Row(
        string Name, RequestSpec Request, Expected Anonymous, Expected InvalidKey, Expected RevokedKey,
        Expected NationalUnitEsp, Expected NationalUnitFra, Expected Analyst, Expected Admin)
    {
        /// <summary>In the order of <see cref="AuthorizationMatrixFixture.Callers"/>.</summary>
        public Expected[] ByCaller => [Anonymous, InvalidKey, RevokedKey, NationalUnitEsp, NationalUnitFra, Analyst, Admin];
    }
}

/// <summary>One Production app for the whole matrix, with a key for every kind of caller and an open operation to write to.</summary>
public sealed class AuthorizationMatrixFixture : IAsyncLifetime
{
    public const string DrillCode = "matrix-drill";
    public const string StatusOpCode = "matrix-status";

    public const string Anonymous = "anonymous";
    public const string InvalidKey = "invalid key";
    public const string RevokedKey = "revoked admin key";
    public const string NationalUnitEsp = "national unit ESP";
    public const string NationalUnitFra = "national unit FRA";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static IReadOnlyList<string> Callers { get; } = [Anonymous, InvalidKey, RevokedKey, NationalUnitEsp, NationalUnitFra, Analyst, Admin];

    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);

    public LiberterraApp App { get; } = new()
    {
        EnvironmentName = "Production",
        Settings = { ["RateLimiting:PermitsPerSecond"] = "100000", ["RateLimiting:Burst"] = "100000" },
    };

    public string Key(string caller) => keys[caller];

    public HttpClient ClientFor(string caller) => caller == Anonymous ? App.CreateClient() : App.ClientWithKey(keys[caller]);

    public async Task InitializeAsync()
    {
        keys[Admin] = await App.IssueKeyAsync(Role.Admin, label: "matrix admin");
        keys[NationalUnitEsp] = await App.IssueKeyAsync(Role.NationalUnit, "ESP", "NCB Madrid");
        keys[NationalUnitFra] = await App.IssueKeyAsync(Role.NationalUnit, "FRA", "NCB Paris");
        keys[Analyst] = await App.IssueKeyAsync(Role.Analyst, label: "matrix analyst");
        keys[InvalidKey] = ApiKeys.Generate(); // well formed, never issued
        keys[RevokedKey] = await App.IssueKeyAsync(Role.Admin, label: "revoked admin");

        // The key to be revoked works as an admin key first, so its 401s below are down to the revocation alone.
        using (var revokedBefore = App.ClientWithKey(keys[RevokedKey]))
        using (var audit = await revokedBefore.GetAsync("/api/v1/audit"))
        {
            audit.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        long id;
        using (var scope = App.Services.CreateScope())
        {
            var hash = ApiKeys.Hash(keys[RevokedKey]);
            id = await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().ApiKeys.Where(k => k.KeyHash == hash).Select(k => k.Id).SingleAsync();
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        (await KeysCommand.RunAsync(App.Services, ["keys", "revoke", id.ToString(CultureInfo.InvariantCulture)], output, error)).Should().Be(0, error.ToString());

        using var admin = App.ClientWithKey(keys[Admin]);
        foreach (var code in new[] { DrillCode, StatusOpCode })
        {
            using var created = await admin.PostAsync("/api/v1/operations", new StringContent(
                $$"""{"code":"{{code}}","name":"{{code}}","startDate":"2026-11-01","endDate":"2026-11-05","participants":["ESP","FRA","SEN"]}""",
                Encoding.UTF8, "application/json"));
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
