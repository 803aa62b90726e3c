using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liberterra.Core.Security;
using Liberterra.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// The access policy of the whole app in Production (no anonymous reads), as one table: every endpoint the app maps,
/// plus the OpenAPI document, Swagger UI and static files, × every kind of caller. /api takes API keys only: reads need
/// any valid key; a national unit reads aggregates and only its own country's returns, and writes only its own
/// country's; analysts only read; admin-only routes refuse everyone else. A missing, forged or revoked key (or a
/// dashboard cookie, which /api ignores) is a 401, a wrong role or another country a 403, and every refusal from /api
/// is a ProblemDetails. The dashboard takes the sign-in cookie only: an analyst or admin signed in gets in, everyone
/// else (API keys included, and a disabled user's old cookie) is sent to sign-in. The account pages, health and the API
/// description are open to all.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixFixture fixture, ITestOutputHelper output) : IClassFixture<AuthorizationMatrixFixture>
{
    private const string Three = "/api/v1/operations/liberterra-iii";
    private const string Drill = "/api/v1/operations/" + AuthorizationMatrixFixture.DrillCode;
    private const string StatusOp = "/api/v1/operations/" + AuthorizationMatrixFixture.StatusOpCode;
    private const string Page = "/operations/liberterra-iii";

    /// <summary>Either of these statuses is right: a first write is 201, the same return written again by another caller is 200.</summary>
    private static readonly Expected Written = new([201, 200]);

    /// <summary>Refused by the dashboard: a redirect to the sign-in page.</summary>
    private static readonly Expected SignIn = new([302], DashboardSignIn.SignInPath);

    /// <summary>The home page sends a signed-in user on to the latest operation's dashboard.</summary>
    private static readonly Expected ToOperation = new([302], "/operations/");

    /// <summary>A successful sign-in returns to the page in its ReturnUrl.</summary>
    private static readonly Expected ToCompare = new([302], "/compare");

    /// <summary>
    /// The policy, one row per endpoint (and per variant that tries to get round it), one column per caller, in the
    /// order of <see cref="AuthorizationMatrixFixture.Callers"/>. Rows that name a country name ESP, so the ESP national
    /// unit is the own-country column and the FRA one the other-country column; the FRA return row turns that round.
    /// The ESP return read is a seeded one of liberterra-iii; writes go to the open operations the fixture creates.
    /// </summary>
    private static readonly Row[] Table =
    [
        //                                                                                                  anon    forged  revoked NU own   NU other analyst admin   analyst admin   disabled
        //                                                                                                          key     key     (ESP)    (FRA)    key     key     cookie  cookie  cookie
        new("GET operations",                   Get("/api/v1/operations"),                                  401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET operation",                    Get(Three),                                                 401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET unknown operation",            Get("/api/v1/operations/no-such-operation"),                401,    401,    401,    404,     404,     404,    404,    401,    401,    401),
        new("GET totals",                       Get($"{Three}/totals"),                                     401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET regions",                      Get($"{Three}/regions"),                                    401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET countries",                    Get($"{Three}/countries"),                                  401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET countries (CSV)",              Get($"{Three}/countries", "text/csv"),                      401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET timeline",                     Get($"{Three}/timeline"),                                   401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET timeline (CSV)",               Get($"{Three}/timeline", "text/csv"),                       401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET completeness",                 Get($"{Three}/completeness"),                               401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET returns (unfiltered)",         Get($"{Three}/returns"),                                    401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET returns?country=ESP",          Get($"{Three}/returns?country=ESP"),                        401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET returns?country=esp",          Get($"{Three}/returns?country=esp"),                        401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET returns?country=%20ESP%20",    Get($"{Three}/returns?country=%20ESP%20"),                  401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET ESP return",                   Get($"{Three}/returns/ESP/2025-11-10"),                     401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET esp return (lower case)",      Get($"{Three}/returns/esp/2025-11-10"),                     401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET ESP return history",           Get($"{Three}/returns/ESP/2025-11-10/history"),             401,    401,    401,    200,     403,     200,    200,    401,    401,    401),
        new("GET data set",                     Get($"{Three}/dataset"),                                    401,    401,    401,    200,     200,     200,    200,    401,    401,    401),
        new("GET unknown operation's data set", Get("/api/v1/operations/no-such-operation/dataset"),        401,    401,    401,    404,     404,     404,    404,    401,    401,    401),
        new("POST operation",                   Post("/api/v1/operations", NewOperation),                   401,    401,    401,    403,     403,     403,    201,    401,    401,    401),
        new("POST operation (own indicators)",  Post("/api/v1/operations", NewOperationWithIndicators),     401,    401,    401,    403,     403,     403,    201,    401,    401,    401),
        new("POST indicator (adds it)",         Post($"{StatusOp}/dataset/indicators", () => Json(NewIndicator("Workplaces inspected"))),
                                                                                                            401,    401,    401,    403,     403,     403,    201,    401,    401,    401),
        new("POST indicator (changes it)",      Post($"{StatusOp}/dataset/indicators", () => Json(NewIndicator("Workplaces visited"))),
                                                                                                            401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("POST indicator to a final op",     Post($"{Three}/dataset/indicators", () => Json(NewIndicator("Workplaces inspected"))),
                                                                                                            401,    401,    401,    403,     403,     403,    409,    401,    401,    401),
        new("DELETE indicator",                 Send("DELETE", $"{StatusOp}/dataset/indicators/workplacesInspected"),
                                                                                                            401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("DELETE indicator of a final op",   Send("DELETE", $"{Three}/dataset/indicators/arrestsTraffickingSmuggling"),
                                                                                                            401,    401,    401,    403,     403,     403,    409,    401,    401,    401),
        new("POST finalize",                    Post($"{StatusOp}/finalize", null),                         401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("POST reopen",                      Post($"{StatusOp}/reopen", null),                           401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("POST ESP return",                  Post($"{Drill}/returns", () => Json(EspReturn("ESP", "2026-11-01"))),
                                                                                                            401,    401,    401,    Written, 403,     403,    Written, 401,   401,    401),
        new("POST esp return (lower case)",     Post($"{Drill}/returns", () => Json(EspReturn("esp", "2026-11-01"))),
                                                                                                            401,    401,    401,    Written, 403,     403,    Written, 401,   401,    401),
        new("POST FRA return",                  Post($"{Drill}/returns", () => Json(EspReturn("FRA", "2026-11-01"))),
                                                                                                            401,    401,    401,    403,     Written, 403,    Written, 401,   401,    401),
        new("POST ESP batch (JSON)",            Post($"{Drill}/returns/batch", () => Json($"[{EspReturn("ESP", "2026-11-02")}]")),
                                                                                                            401,    401,    401,    200,     403,     403,    200,    401,    401,    401),
        new("POST ESP batch (CSV)",             Post($"{Drill}/returns/batch", () => Csv("country,date,arrests\nESP,2026-11-03,4\n")),
                                                                                                            401,    401,    401,    200,     403,     403,    200,    401,    401,    401),
        new("POST esp batch (CSV, lower case)", Post($"{Drill}/returns/batch", () => Csv("country,date,arrests\nesp,2026-11-03,5\n")),
                                                                                                            401,    401,    401,    200,     403,     403,    200,    401,    401,    401),
        new("POST ESP batch (dry run)",         Post($"{Drill}/returns/batch?dryRun=true", () => Json($"[{EspReturn("ESP", "2026-11-04")}]")),
                                                                                                            401,    401,    401,    200,     403,     403,    200,    401,    401,    401),
        new("POST ESP+FRA batch",               Post($"{Drill}/returns/batch", () => Json($"[{EspReturn("ESP", "2026-11-05")},{EspReturn("FRA", "2026-11-05")}]")),
                                                                                                            401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("DELETE indicator with data",       Send("DELETE", $"{Drill}/dataset/indicators/officersDeployed"),
                                                                                                            401,    401,    401,    403,     403,     403,    409,    401,    401,    401),
        new("GET audit",                        Get("/api/v1/audit"),                                       401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("GET audit?country=ESP",            Get("/api/v1/audit?country=ESP"),                           401,    401,    401,    403,     403,     403,    200,    401,    401,    401),
        new("GET unmapped /api path",           Get("/api/v1/no-such-thing"),                               404,    404,    404,    404,     404,     404,    404,    404,    404,    404),
        new("DELETE operation (not mapped)",    Send("DELETE", Three),                                      405,    405,    405,    405,     405,     405,    405,    405,    405,    405),

        new("GET / (home)",                     Get("/"),                                                   SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, ToOperation, ToOperation, SignIn),
        new("GET /Index",                       Get("/Index"),                                              SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, ToOperation, ToOperation, SignIn),
        new("GET operation page",               Get(Page),                                                  SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET operation page, sorted",       Get($"{Page}?sort=arrests&dir=desc"),                       SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET unknown operation page",       Get("/operations/no-such-operation"),                       SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 404,    404,    SignIn),
        new("GET ESP country page",             Get($"{Page}/countries/ESP"),                               SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET completeness page",            Get($"{Page}/completeness"),                                SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET press page",                   Get($"{Page}/press"),                                       SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET reconciliation page",          Get("/reconciliation"),                                     SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET compare page",                 Get("/compare"),                                            SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("POST operation page (no token)",   Post(Page, () => new FormUrlEncodedContent([])),            SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 400,    400,    SignIn),
        new("GET countries.csv export",         Get($"{Page}/export/countries.csv"),                        SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET countries.csv?region=Europe",  Get($"{Page}/export/countries.csv?region=Europe"),          SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),
        new("GET timeline.csv export",          Get($"{Page}/export/timeline.csv"),                         SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, 200,    200,    SignIn),

        new("GET sign-in page",                 Get(DashboardSignIn.SignInPath),                            200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("POST sign-in (with token)",        PostForm(DashboardSignIn.SignInPath, withToken: true,
                                                    ("Email", AuthorizationMatrixFixture.SignerEmail), ("Password", AuthorizationMatrixFixture.Password), ("ReturnUrl", "/compare")),
                                                                                                            ToCompare, ToCompare, ToCompare, ToCompare, ToCompare, ToCompare, ToCompare, ToCompare, ToCompare, ToCompare),
        new("POST sign-in (no token)",          PostForm(DashboardSignIn.SignInPath, withToken: false,
                                                    ("Email", AuthorizationMatrixFixture.SignerEmail), ("Password", AuthorizationMatrixFixture.Password)),
                                                                                                            400,    400,    400,    400,     400,     400,    400,    400,    400,    400),
        new("GET sign-out page",                Get(DashboardAuthentication.SignOutPath),                  200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("POST sign-out (with token)",       PostForm(DashboardAuthentication.SignOutPath, withToken: true),
                                                                                                            SignIn, SignIn, SignIn, SignIn,  SignIn,  SignIn, SignIn, SignIn, SignIn, SignIn),
        new("POST sign-out (no token)",         PostForm(DashboardAuthentication.SignOutPath, withToken: false),
                                                                                                            400,    400,    400,    400,     400,     400,    400,    400,    400,    400),
        new("GET denied page",                  Get("/account/denied"),                                     200,    200,    200,    200,     200,     200,    200,    200,    200,    200),

        new("GET /health/live",                 Get("/health/live"),                                        200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("GET /health/ready",                Get("/health/ready"),                                       200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("GET OpenAPI document",             Get("/swagger/v1/swagger.json"),                            200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("GET Swagger UI",                   Get("/swagger/index.html"),                                 200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
        new("GET static stylesheet",            Get("/css/site.css"),                                       200,    200,    200,    200,     200,     200,    200,    200,    200,    200),
    ];

    /// <summary>
    /// Every cell, in table order (a row's writes run before the next row's), with every mismatch listed at once. The
    /// table is exhaustive, so the long reliability run (LIBERTERRA_RELIABILITY=long) is this same run.
    /// </summary>
    [Fact]
    public async Task EveryCallerGetsWhatThePolicyGivesItAtEveryEndpoint()
    {
        var mismatches = new List<string>();
        foreach (var row in Table)
        {
            for (var column = 0; column < AuthorizationMatrixFixture.Callers.Count; column++)
            {
                var caller = AuthorizationMatrixFixture.Callers[column];
                using var client = fixture.ClientFor(caller);
                using var request = await row.Request.BuildAsync(client);
                using var response = await client.SendAsync(request);
                if (await MismatchAsync(row, row.ByCaller[column], response) is { } mismatch)
                {
                    mismatches.Add($"{row.Name} × {caller}: {mismatch}");
                }
            }
        }

        output.WriteLine(FormattableString.Invariant(
            $"RELIABILITY authz provider={TestDatabase.Provider.ToString().ToLowerInvariant()} endpoints={Table.Length} callers={AuthorizationMatrixFixture.Callers.Count} cells={Table.Length * AuthorizationMatrixFixture.Callers.Count} mismatches={mismatches.Count}"));
        mismatches.Should().BeEmpty();
    }

    /// <summary>Every endpoint the router knows (API, pages, exports, health) is exercised by at least one row of the table.</summary>
    [Fact]
    public void TheTableCoversEveryEndpointTheAppMaps()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var uncovered = mapped.Where(endpoint =>
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new(endpoint.RoutePattern.Defaults));
            return !Table.Any(row =>
                (methods is null || methods.Contains(row.Request.Method, StringComparer.OrdinalIgnoreCase))
                && matcher.TryMatch(row.Request.Path.Split('?')[0], new()));
        }).Select(endpoint => $"{endpoint.DisplayName} ({endpoint.RoutePattern.RawText})");

        mapped.Should().HaveCountGreaterThan(30, "the API, the pages, the exports and health are all mapped");
        uncovered.Should().BeEmpty("every endpoint needs a row in the authorization table");
    }

    /// <summary>What is wrong with the response, or null if it is what the policy says.</summary>
    private static async Task<string?> MismatchAsync(Row row, Expected want, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var location = response.Headers.Location is { } uri ? (uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString) : null;
        var got = location is null ? $"{status}" : $"{status} → {location}";
        if (!want.Statuses.Contains(status) || (want.LocationPrefix is { } prefix && location?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) != true))
        {
            return $"expected {want}, got {got}: {body[..Math.Min(body.Length, 300)]}";
        }

        // Every refusal from /api is a ProblemDetails carrying its own status.
        if (row.Request.Path.StartsWith("/api/", StringComparison.Ordinal) && status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{got} is not a ProblemDetails but {response.Content.Headers.ContentType}: {body}";
            }

            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("status", out var problemStatus) || problemStatus.GetInt32() != status
                || !problem.RootElement.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
            {
                return $"{got} is a ProblemDetails without its status and a title: {body}";
            }
        }

        return null;
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

    private static string EspReturn(string country, string date) =>
        $$"""{"country":"{{country}}","date":"{{date}}","arrests":3,"arrestsTraffickingSmuggling":1,"officersDeployed":12,"notes":"matrix"}""";

    private static HttpContent NewOperation() => Json(
        """{"code":"matrix-created","name":"Created by the matrix","startDate":"2026-12-01","endDate":"2026-12-02","participants":["ESP"]}""");

    private static HttpContent NewOperationWithIndicators() => Json(
        """{"code":"matrix-own-indicators","name":"Own indicators","startDate":"2026-12-01","endDate":"2026-12-02","participants":["ESP"],"indicators":[{"code":"workplacesInspected","label":{"en":"Workplaces inspected"},"kind":"flow"}]}""");

    private static string NewIndicator(string label) =>
        $$"""{"code":"workplacesInspected","label":{"en":"{{label}}"},"kind":"flow"}""";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    private static RequestSpec Get(string path, string? accept = null) => new("GET", path, null, accept);

    private static RequestSpec Send(string method, string path) => new(method, path, null);

    private static RequestSpec Post(string path, Func<HttpContent>? body) =>
        new("POST", path, body is null ? null : _ => Task.FromResult(body()));

    /// <summary>
    /// A form post as a browser sends it, with or without an anti-forgery token for this client. The token comes from the
    /// sign-in form, which every visitor gets (the sign-out form is shown only to the signed in); it is good for any form.
    /// </summary>
    private static RequestSpec PostForm(string path, bool withToken, params (string Name, string Value)[] fields) =>
        new("POST", path, async client =>
        {
            var values = fields.ToDictionary(f => f.Name, f => f.Value);
            if (withToken)
            {
                values["__RequestVerificationToken"] = await client.FormTokenAsync(DashboardSignIn.SignInPath);
            }

            return new FormUrlEncodedContent(values);
        });

    private sealed record RequestSpec(string Method, string Path, Func<HttpClient, Task<HttpContent>>? Body, string? Accept = null)
    {
        public async Task<HttpRequestMessage> BuildAsync(HttpClient client)
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Path) { Content = Body is null ? null : await Body(client) };
            if (Accept is not null)
            {
                request.Headers.Accept.ParseAdd(Accept);
            }

            return request;
        }
    }

    /// <summary>The status (or the statuses, any of which is right) one caller should get, and for a redirect where it must lead.</summary>
    private sealed record Expected(int[] Statuses, string? LocationPrefix = null)
    {
        public static implicit operator Expected(int status) => new([status]);

        public override string ToString() =>
            string.Join(" or ", Statuses.Select(s => s.ToString(CultureInfo.InvariantCulture))) + (LocationPrefix is null ? string.Empty : $" → {LocationPrefix}");
    }

    private sealed record Row
    {
        public Row(string name, RequestSpec request, params Expected[] byCaller)
        {
            if (byCaller.Length != AuthorizationMatrixFixture.Callers.Count)
            {
                throw new ArgumentException($"Row '{name}' has {byCaller.Length} columns, not one per caller.", nameof(byCaller));
            }

            (Name, Request, ByCaller) = (name, request, byCaller);
        }

        public string Name { get; }

        public RequestSpec Request { get; }

        /// <summary>In the order of <see cref="AuthorizationMatrixFixture.Callers"/>.</summary>
        public Expected[] ByCaller { get; }
    }
}

/// <summary>
/// One Production app for the whole matrix: a key for every kind of caller, a sign-in cookie for an analyst, an admin and
/// a since-disabled analyst, and open operations to write to.
/// </summary>
public sealed class AuthorizationMatrixFixture : IAsyncLifetime
{
    public const string DrillCode = "matrix-drill";
    public const string StatusOpCode = "matrix-status";
    public const string Password = "correct horse battery staple";

    /// <summary>The account the sign-in row signs in to, from every caller's client.</summary>
    public const string SignerEmail = "signer@example.org";

    public const string Anonymous = "anonymous";
    public const string ForgedKey = "forged key";
    public const string RevokedKey = "revoked admin key";
    public const string NationalUnitEsp = "national unit ESP (own country)";
    public const string NationalUnitFra = "national unit FRA (other country)";
    public const string Analyst = "analyst key";
    public const string Admin = "admin key";
    public const string AnalystCookie = "analyst signed in";
    public const string AdminCookie = "admin signed in";
    public const string DisabledCookie = "disabled user's old cookie";

    /// <summary>The roles are those of <see cref="Role"/>; users may only be analysts or admins (`users add`), so there is no national-unit cookie.</summary>
    public static IReadOnlyList<string> Callers { get; } =
        [Anonymous, ForgedKey, RevokedKey, NationalUnitEsp, NationalUnitFra, Analyst, Admin, AnalystCookie, AdminCookie, DisabledCookie];

    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    public LiberterraApp App { get; } = LiberterraApp.Production();

    public string Key(string caller) => keys[caller];

    /// <summary>
    /// A new browser-like client for the caller: it keeps cookies, does not follow redirects, and starts with the
    /// caller's key or sign-in cookie, so a cell that signs in or out leaves every other cell's caller as it was.
    /// </summary>
    public HttpClient ClientFor(string caller)
    {
        var jar = new CookieContainerHandler();
        if (cookies.TryGetValue(caller, out var cookie))
        {
            jar.Container.Add(App.ClientOptions.BaseAddress, new Cookie(DashboardSignIn.AuthCookie, cookie));
        }

        var client = App.CreateDefaultClient(jar);
        if (keys.TryGetValue(caller, out var key))
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        var drill = await ApiDrill.CreateAsync(App, code: null, units: ["ESP", "FRA"], analyst: true);
        keys[Admin] = drill.AdminKey;
        keys[NationalUnitEsp] = drill.UnitKeys["ESP"];
        keys[NationalUnitFra] = drill.UnitKeys["FRA"];
        keys[Analyst] = drill.AnalystKey;
        keys[ForgedKey] = ApiKeys.Generate(); // well formed, never issued
        keys[RevokedKey] = await App.IssueKeyAsync(Role.Admin, label: "revoked admin");

        // The key to be revoked works as an admin key first, so its 401s below are down to the revocation alone.
        using (var revokedBefore = App.ClientWithKey(keys[RevokedKey]))
        using (var audit = await revokedBefore.GetAsync("/api/v1/audit"))
        {
            audit.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await App.RevokeKeyAsync(keys[RevokedKey]);

        await App.AddUserAsync(SignerEmail, Password);
        cookies[AnalystCookie] = await SignInAsync("analyst@example.org", Role.Analyst);
        cookies[AdminCookie] = await SignInAsync("admin@example.org", Role.Admin);
        cookies[DisabledCookie] = await SignInAsync("disabled@example.org", Role.Analyst);
        await App.DisableUserAsync("disabled@example.org");

        // The revoked key and the disabled user's cookie were both in use, so the app may still trust them for up to the
        // bound; past it, the matrix's 401s and sign-in redirects are the revocation's and the disabling's.
        await Revocation.PastTheBoundAsync();

        using var admin = drill.Admin;
        foreach (var code in new[] { DrillCode, StatusOpCode })
        {
            await ApiDrill.CreateOperationAsync(admin, code);
        }
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Adds a user, signs in as a browser would, and returns the sign-in cookie's value once it has opened a page.</summary>
    private async Task<string> SignInAsync(string email, Role role)
    {
        await App.AddUserAsync(email, Password, role);
        using var browser = App.Browser();
        using var signIn = await browser.SignInAsync(email, Password);
        var header = signIn.AuthCookieHeader() ?? throw new InvalidOperationException($"Signing in {email} set no cookie.");

        // The cookie works before anything else happens to it, so a refusal in the table is down to the policy alone.
        using (var page = await browser.GetAsync("/reconciliation"))
        {
            page.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        return header[(DashboardSignIn.AuthCookie.Length + 1)..].Split(';')[0];
    }
}
