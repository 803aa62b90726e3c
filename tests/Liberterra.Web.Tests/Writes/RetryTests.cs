using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FluentAssertions.Execution;
using Liberterra.Core.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// The promise to national units: once the API has said 2xx, the return exists exactly once. The real app runs on
/// Kestrel behind a <see cref="ChaosProxy"/> that resets connections before and after the app answers and holds answers
/// past the client's timeout. National units write returns, amendments and small batches for their own country and retry
/// every request until they get an answer: half always send an Idempotency-Key (the same one on every retry), half never
/// do. Every body a unit sends for a return is distinct (its notes carry a sequence number), and a unit sends the next
/// request only once the last one was answered, so no body is ever superseded before it commits: each return's history
/// must be exactly the bodies sent for it, in order, whatever was lost on the way.
/// LIBERTERRA_RELIABILITY=long runs tens of thousands of requests instead of a few hundred. LIBERTERRA_RELIABILITY_SEED
/// repeats a run's requests and the proxy's sequence of faults (which request meets which fault also depends on timing).
/// </summary>
public sealed class RetryTests(ITestOutputHelper output)
{
    private const string Code = "retries";
    private const int MaxAttempts = 60;

    private static readonly bool IsLong = ReliabilityRun.Current.IsLong;
    private static readonly string[] KeyedCountries = ["ESP", "FRA", "SEN", "ITA"];
    private static readonly string[] KeylessCountries = ["MAR", "PRT", "DEU", "NGA"];
    private static readonly string[] Days = [.. Enumerable.Range(1, 10).Select(d => $"2026-11-{d:00}")];

    /// <summary>Long enough that an answer the proxy passes is not mistaken for a lost one, even on a busy machine.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(2);

    private static readonly HttpRequestOptionsKey<ChaosConnection> ConnectionOption = new("chaos-connection");

    private readonly ConcurrentQueue<string> failures = new();
    private int retries;
    private int replays;
    private int lostAnswers;

    [Fact]
    public async Task RetriedWritesThroughResetsAndTimeoutsAreStoredExactlyOnce()
    {
        var run = ReliabilityRun.Current;
        var seed = run.Seed;
        var requestsPerUnit = IsLong ? 2_500 : 40;
        run.Announce(output);

        using var app = LiberterraApp.Production();
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var appAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        using var admin = new HttpClient { BaseAddress = appAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", await app.IssueKeyAsync(Role.Admin, label: "retries admin"));
        await ApiDrill.CreateOperationAsync(admin, Code, participants: KeyedCountries.Concat(KeylessCountries), startDate: Days[0], endDate: Days[^1]);

        var weights = new Dictionary<ChaosFault, int>
        {
            [ChaosFault.Pass] = 76,
            [ChaosFault.ResetAfterAnswer] = 10,
            [ChaosFault.ResetBeforeForwarding] = 10,
            [ChaosFault.HoldPastTimeout] = IsLong ? 1 : 4,
        };
        var stopwatch = Stopwatch.StartNew();
        await using var proxy = new ChaosProxy(new IPEndPoint(IPAddress.Loopback, appAddress.Port), seed, weights, holdLimit: ClientTimeout * 10);
        var units = new List<Unit>();
        try
        {
            foreach (var (country, index) in KeyedCountries.Concat(KeylessCountries).Select((c, i) => (c, i)))
            {
                var key = await app.IssueKeyAsync(Role.NationalUnit, country, $"NCB {country}");
                units.Add(new Unit(country, KeyedCountries.Contains(country), NewClient(proxy, key), new Random(seed + index)));
            }

            await Task.WhenAll(units.Select(unit => WriteAsync(unit, requestsPerUnit))).WaitAsync(IsLong ? TimeSpan.FromMinutes(30) : TimeSpan.FromMinutes(5));
        }
        finally
        {
            foreach (var unit in units)
            {
                unit.Http.Dispose();
            }
        }

        stopwatch.Stop();
        var duplicates = await CheckHistoriesAsync(admin, units);
        var requests = units.Sum(u => u.Requests);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RELIABILITY retries provider={TestDatabase.Provider} seed={seed} requests={requests} attempts={requests + retries} "
            + $"resets_after_commit={proxy.Fired(ChaosFault.ResetAfterAnswer)} timeouts={proxy.Fired(ChaosFault.HoldPastTimeout)} "
            + $"resets_before={proxy.Fired(ChaosFault.ResetBeforeForwarding)} retries={retries} replays={replays} "
            + $"lost_after_commit={lostAnswers} duplicates={duplicates} seconds={stopwatch.Elapsed.TotalSeconds:0.0}"));

        await CheckRollUpsAsync(admin, units);
        using (new AssertionScope())
        {
            failures.Should().BeEmpty($"every answer and every history should match what the units sent (seed {seed})");
            duplicates.Should().Be(0);
            proxy.AppStatuses.Should().NotBeEmpty().And.OnlyContain(s => s >= 200 && s < 300, "every request is valid, so the app answers 2xx, delivered or not");
            app.LogLines.Should().Contain(line => line.Contains(" responded 201 ", StringComparison.Ordinal), "the request log is captured")
                .And.NotContain(line => line.Contains(" responded 5", StringComparison.Ordinal), "no request, answered or aborted, ends in a 5xx");
            foreach (var fault in Enum.GetValues<ChaosFault>())
            {
                proxy.Fired(fault).Should().BePositive($"{fault} must fire for the run to prove anything (seed {seed})");
            }

            units.Where(u => u.HasKey).Sum(u => u.LostAfterCommit).Should().BePositive("some keyed retry must follow a lost committed answer");
            units.Where(u => !u.HasKey).Sum(u => u.LostAfterCommit).Should().BePositive("some keyless retry must follow a lost committed answer");
            replays.Should().BePositive();
        }
    }

    /// <summary>
    /// One unit's run: returns, amendments and batches of two or three days, each request retried until answered, and
    /// each answer checked against the unit's own record of what it has sent for every day.
    /// </summary>
    private async Task WriteAsync(Unit unit, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            var days = unit.Random.Next(4) == 0
                ? unit.Random.GetItems(Days, 3).Distinct().ToArray()
                : [Days[unit.Random.Next(Days.Length)]];
            var bodies = days.Select(day => unit.NextBody(day)).ToList();
            var batch = days.Length > 1 || unit.Random.Next(8) == 0;
            var json = batch ? $"[{string.Join(',', bodies.Select(b => b.Json))}]" : bodies[0].Json;
            var idempotencyKey = unit.HasKey ? $"{unit.Country}-{i}" : null;
            var expectedVersions = bodies.Select(b => unit.Sent.GetValueOrDefault(b.Day, []).Count + 1).ToList();

            var answer = await SendUntilAnsweredAsync(unit, batch ? "returns/batch" : "returns", json, idempotencyKey);
            unit.Requests++;
            var where = $"{unit.Country} request {i} ({(batch ? "batch " : string.Empty)}{string.Join(",", days)}, {answer.Attempts} attempts, "
                + $"lost after commit: {answer.LostAfterCommit}, maybe committed: {answer.MaybeCommitted})";
            if (Check(answer, batch, bodies, expectedVersions, unit.HasKey, where))
            {
                foreach (var body in bodies)
                {
                    unit.Sent.TryAdd(body.Day, []);
                    unit.Sent[body.Day].Add(body);
                }
            }
        }
    }

    /// <summary>
    /// The answer must name exactly the versions these bodies are. What a retry may answer depends on what happened to the
    /// earlier attempts: a lost committed answer is replayed with a key and found unchanged without one; an attempt that
    /// reached the app but whose answer the proxy never saw (the client gave up first) may or may not have committed.
    /// </summary>
    /// <returns>Whether the request was accepted, so that its bodies are now part of the returns' history.</returns>
    private bool Check(Answer answer, bool batch, List<Body> bodies, List<int> expectedVersions, bool hasKey, string where)
    {
        if (answer.Status is < 200 or >= 300)
        {
            failures.Enqueue($"{where}: {answer.Status} {answer.Text}");
            return false;
        }

        if (hasKey ? answer.Replayed != answer.LostAfterCommit && !answer.MaybeCommitted : answer.Replayed)
        {
            failures.Enqueue($"{where}: Idempotent-Replayed was {answer.Replayed}");
        }

        var json = JsonDocument.Parse(answer.Text).RootElement;
        var created = expectedVersions.Count(v => v == 1);
        var written = (created, bodies.Count - created, 0);
        var resent = (0, 0, bodies.Count);
        if (batch)
        {
            var actual = (json.GetProperty("created").GetInt32(), json.GetProperty("updated").GetInt32(), json.GetProperty("unchanged").GetInt32());
            var allowed = hasKey ? [written] : answer.LostAfterCommit ? [resent] : answer.MaybeCommitted ? new[] { written, resent } : [written];
            if (answer.Status != 200 || !allowed.Contains(actual))
            {
                failures.Enqueue($"{where}: {answer.Status} {answer.Text}, expected created/updated/unchanged {string.Join(" or ", allowed)}");
            }

            return true;
        }

        // Whatever was lost, the answer is the version this body is, holding this body: a retry never makes another.
        var first = expectedVersions[0] == 1 ? 201 : 200;
        var statuses = hasKey ? [first] : answer.LostAfterCommit ? [200] : answer.MaybeCommitted ? new[] { first, 200 } : [first];
        if (!statuses.Contains(answer.Status) || json.GetProperty("version").GetInt32() != expectedVersions[0] || !bodies[0].Matches(json))
        {
            failures.Enqueue($"{where}: {answer.Status} {answer.Text}, expected {string.Join(" or ", statuses)} with version {expectedVersions[0]} and {bodies[0].Json}");
        }

        return true;
    }

    /// <summary>Sends one request until an answer arrives, the same bytes and key each time, as a national unit's client would.</summary>
    private async Task<Answer> SendUntilAnsweredAsync(Unit unit, string path, string json, string? idempotencyKey)
    {
        bool lostAfterCommit = false, maybeCommitted = false;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/operations/{Code}/{path}")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.ConnectionClose = true;
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            using var timeout = new CancellationTokenSource(ClientTimeout);
            try
            {
                using var response = await unit.Http.SendAsync(request, timeout.Token);
                var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
                if (replayed)
                {
                    Interlocked.Increment(ref replays);
                }

                return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token), replayed, attempt, lostAfterCommit, maybeCommitted);
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && timeout.IsCancellationRequested))
            {
                Interlocked.Increment(ref retries);
                if (!request.Options.TryGetValue(ConnectionOption, out var connection) || connection.Fault == ChaosFault.ResetBeforeForwarding)
                {
                    continue; // never reached the app
                }

                if (connection.AppStatus is { } status)
                {
                    // Any answer the app gave is checked with the rest (ChaosProxy.AppStatuses); a 2xx means it committed.
                    lostAfterCommit |= status is >= 200 and < 300;
                    unit.LostAfterCommit++;
                    Interlocked.Increment(ref lostAnswers);
                }
                else
                {
                    maybeCommitted = true;
                }
            }
        }

        throw new InvalidOperationException($"{unit.Country}: no answer after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// Each return's history must be exactly the bodies its unit sent for it, in order, as versions 1..n; a mismatch is
    /// recorded with the other failures. Returns the number of versions that repeat an earlier body (a double count).
    /// </summary>
    private async Task<int> CheckHistoriesAsync(HttpClient admin, List<Unit> units)
    {
        var duplicates = 0;
        foreach (var unit in units)
        {
            foreach (var day in Days)
            {
                using var response = await admin.GetAsync($"/api/v1/operations/{Code}/returns/{unit.Country}/{day}/history");
                var sent = unit.Sent.GetValueOrDefault(day, []);
                if (response.StatusCode == HttpStatusCode.NotFound && sent.Count == 0)
                {
                    continue;
                }

                var versions = response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("versions").EnumerateArray().ToList() : [];
                var notes = versions.Select(v => v.GetProperty("notes").GetString()).ToList();
                duplicates += notes.Count - notes.Distinct().Count();
                if (!versions.Select(v => v.GetProperty("version").GetInt32()).SequenceEqual(Enumerable.Range(1, sent.Count))
                    || !notes.SequenceEqual(sent.Select(b => b.Notes))
                    || versions.Zip(sent).Any(pair => !pair.Second.Matches(pair.First)))
                {
                    failures.Enqueue($"history of {unit.Country} {day} ({(int)response.StatusCode}): [{string.Join(", ", notes)}], "
                        + $"but the bodies sent were [{string.Join(", ", sent.Select(b => b.Notes))}]");
                }
            }
        }

        return duplicates;
    }

    /// <summary>/totals and /countries add up each return's last body: arrests and victims summed, officers as each country's highest day.</summary>
    private static async Task CheckRollUpsAsync(HttpClient admin, List<Unit> units)
    {
        var expected = units.ToDictionary(u => u.Country, u => (
            Arrests: u.Sent.Values.Sum(v => v[^1].Arrests),
            Victims: u.Sent.Values.Sum(v => v[^1].Victims),
            Officers: u.Sent.Values.Max(v => v[^1].Officers)));
        var countries = (await admin.GetJsonAsync($"/api/v1/operations/{Code}/countries")).GetProperty("countries").EnumerateArray()
            .Where(c => c.GetProperty("participant").GetBoolean())
            .ToDictionary(c => c.GetProperty("country").GetString()!, c => (Arrests: c.Int("arrests"), Victims: c.Int("victimsSafeguarded"), Officers: c.Int("officersDeployed")));
        countries.Should().BeEquivalentTo(expected.ToDictionary(e => e.Key, e => ((int?)e.Value.Arrests, (int?)e.Value.Victims, (int?)e.Value.Officers)));

        var totals = await admin.GetJsonAsync($"/api/v1/operations/{Code}/totals");
        totals.Int("countriesReporting").Should().Be(units.Count);
        totals.Int("arrests").Should().Be(expected.Values.Sum(e => e.Arrests));
        totals.Int("victimsSafeguarded").Should().Be(expected.Values.Sum(e => e.Victims));
        totals.Int("officersDeployed").Should().Be(expected.Values.Sum(e => e.Officers));
    }

    /// <summary>
    /// A client through the proxy that opens a new connection for every request and, before sending on it, learns from the
    /// proxy which fault that connection got, so a failed attempt can be told apart: lost after the app answered, or never sent.
    /// </summary>
    private static HttpClient NewClient(ChaosProxy proxy, string apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    var connection = await proxy.AcceptedAsync(((IPEndPoint)socket.LocalEndPoint!).Port, cancellationToken);
                    context.InitialRequestMessage.Options.Set(ConnectionOption, connection);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = proxy.Address, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private sealed record Answer(int Status, string Text, bool Replayed, int Attempts, bool LostAfterCommit, bool MaybeCommitted);

    /// <summary>One return body as sent; its notes make it distinct from every other body the unit sends.</summary>
    private sealed record Body(string Day, int Arrests, int Victims, int Officers, string Notes)
    {
        public string Json => $$"""{"country":"{{Notes[..3]}}","date":"{{Day}}","arrests":{{Arrests}},"victimsSafeguarded":{{Victims}},"officersDeployed":{{Officers}},"notes":"{{Notes}}"}""";

        public bool Matches(JsonElement json) =>
            json.Int("arrests") == Arrests && json.Int("victimsSafeguarded") == Victims && json.Int("officersDeployed") == Officers
            && json.GetProperty("notes").GetString() == Notes;
    }

    private sealed class Unit(string country, bool hasKey, HttpClient http, Random random)
    {
        private int bodies;

        public string Country { get; } = country;

        public bool HasKey { get; } = hasKey;

        public HttpClient Http { get; } = http;

        public Random Random { get; } = random;

        /// <summary>Every body sent for each day, in the order sent; only bodies whose request was answered 2xx are added.</summary>
        public Dictionary<string, List<Body>> Sent { get; } = [];

        public int Requests { get; set; }

        public int LostAfterCommit { get; set; }

        public Body NextBody(string day) =>
            new(day, Random.Next(0, 100), Random.Next(0, 50), Random.Next(1, 500), $"{Country} body {++bodies}");
    }
}
