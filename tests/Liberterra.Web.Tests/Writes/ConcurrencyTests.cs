using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Liberterra.Web.Tests;

/// <summary>
/// Concurrent writes to one return lose no update: they serialise (each amendment gets its own version) or, with
/// If-Match, all but one get 412. Concurrent first submissions and concurrent idempotent retries never count twice.
/// All requests of a round are released together so that they really overlap.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Writers = 20;
    private const string Drill = "/api/v1/operations/drill";

    [Fact]
    public async Task ConcurrentAmendmentsWithTheSameIfMatchLetExactlyOneWinAndTheRestGet412()
    {
        using var app = LiberterraApp.Production();
        using var spain = await PrepareAsync(app);
        await PostAsync(spain, Return("2026-11-01", arrests: 1), HttpStatusCode.Created);

        var responses = await AllAtOnceAsync(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Drill}/returns") { Content = Json(Return("2026-11-01", arrests: 100 + i)) };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            return spain.SendAsync(request);
        });

        var statuses = responses.Select(r => r.Status).ToList();
        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(1, string.Join(", ", statuses));
        statuses.Count(s => s == HttpStatusCode.PreconditionFailed).Should().Be(Writers - 1, string.Join(", ", statuses));
        responses.Where(r => r.Status == HttpStatusCode.PreconditionFailed).Should().OnlyContain(r => r.MediaType == "application/problem+json");
        var winner = responses.Single(r => r.Status == HttpStatusCode.OK);
        winner.Body.GetProperty("version").GetInt32().Should().Be(2);

        var current = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/returns/ESP/2026-11-01");
        current.GetProperty("version").GetInt32().Should().Be(2);
        current.GetProperty("arrests").GetInt32().Should().Be(winner.Body.GetProperty("arrests").GetInt32());
        var history = await HistoryAsync(spain, "2026-11-01");
        history.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(1, 2);
        history[1].GetProperty("arrests").GetInt32().Should().Be(winner.Body.GetProperty("arrests").GetInt32());
    }

    [Fact]
    public async Task ConcurrentAmendmentsWithoutIfMatchAllSerialiseAndEveryOneGetsItsOwnVersion()
    {
        using var app = LiberterraApp.Production();
        using var spain = await PrepareAsync(app);
        await PostAsync(spain, Return("2026-11-02", arrests: 1), HttpStatusCode.Created);

        var responses = await AllAtOnceAsync(i => spain.PostAsync($"{Drill}/returns", Json(Return("2026-11-02", arrests: 1000 + i))));

        responses.Select(r => r.Status).Should().AllBeEquivalentTo(HttpStatusCode.OK, string.Join(", ", responses.Select(r => $"{(int)r.Status} {r.Raw}")));
        var acknowledged = responses.Select(r => r.Body.GetProperty("version").GetInt32()).Order().ToList();
        acknowledged.Should().Equal(Enumerable.Range(2, Writers), "every amendment is acknowledged with a version of its own");
        foreach (var response in responses)
        {
            response.ETag.Should().Be($"\"{response.Body.GetProperty("version").GetInt32()}\"");
        }

        var current = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/returns/ESP/2026-11-02");
        current.GetProperty("version").GetInt32().Should().Be(1 + Writers);
        var history = await HistoryAsync(spain, "2026-11-02");
        history.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(Enumerable.Range(1, 1 + Writers), "no gaps and no duplicates");
        current.GetProperty("arrests").GetInt32().Should().Be(history[^1].GetProperty("arrests").GetInt32(), "the current value is the last version's");
        history.Skip(1).Select(v => v.GetProperty("arrests").GetInt32()).Should().BeEquivalentTo(Enumerable.Range(1000, Writers), "no amendment was lost");
        foreach (var response in responses)
        {
            var version = response.Body.GetProperty("version").GetInt32();
            history[version - 1].GetProperty("arrests").GetInt32().Should().Be(response.Body.GetProperty("arrests").GetInt32(),
                $"version {version} holds what its acknowledgement said");
        }

        var totals = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/totals");
        totals.GetProperty("arrests").GetInt64().Should().Be(current.GetProperty("arrests").GetInt32(), "only the current version counts");
    }

    [Fact]
    public async Task ConcurrentIdenticalFirstSubmissionsCreateOneReturnOnce()
    {
        using var app = LiberterraApp.Production();
        using var spain = await PrepareAsync(app);
        var body = Return("2026-11-03", arrests: 7);

        var responses = await AllAtOnceAsync(_ => spain.PostAsync($"{Drill}/returns", Json(body)));

        var statuses = responses.Select(r => r.Status).ToList();
        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(1, string.Join(", ", responses.Select(r => $"{(int)r.Status} {r.Raw}")));
        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(Writers - 1, string.Join(", ", statuses));
        responses.Should().OnlyContain(r => r.Body.GetProperty("version").GetInt32() == 1);
        var history = await HistoryAsync(spain, "2026-11-03");
        history.Should().ContainSingle();
        var totals = await spain.GetFromJsonAsync<JsonElement>($"{Drill}/totals");
        totals.GetProperty("arrests").GetInt64().Should().Be(7);
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneIdempotencyKeyWriteOnceAndAllGetTheFirstResponse()
    {
        using var app = LiberterraApp.Production();
        using var spain = await PrepareAsync(app);
        var body = Return("2026-11-04", arrests: 9);

        var responses = await AllAtOnceAsync(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Drill}/returns") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", "concurrent-retry-1");
            return spain.SendAsync(request);
        });

        responses.Select(r => r.Status).Should().AllBeEquivalentTo(HttpStatusCode.Created, string.Join(", ", responses.Select(r => $"{(int)r.Status} {r.Raw}")));
        responses.Select(r => r.Raw).Distinct().Should().ContainSingle("a replay returns exactly the first response");
        var history = await HistoryAsync(spain, "2026-11-04");
        history.Should().ContainSingle();
        (await spain.GetFromJsonAsync<JsonElement>($"{Drill}/totals")).GetProperty("arrests").GetInt64().Should().Be(9);
    }

    /// <summary>Creates the open operation "drill" and returns a client with ESP's national-unit key.</summary>
    private static async Task<HttpClient> PrepareAsync(LiberterraApp app)
    {
        var client = (await ApiDrill.CreateAsync(app, "drill", units: ["ESP"])).Unit("ESP");
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    private static string Return(string date, int arrests) =>
        $$"""{"country":"ESP","date":"{{date}}","arrests":{{arrests}},"officersDeployed":30,"notes":"concurrency"}""";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task PostAsync(HttpClient client, string body, HttpStatusCode expected)
    {
        using var response = await client.PostAsync($"{Drill}/returns", Json(body));
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonElement>> HistoryAsync(HttpClient client, string date) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Drill}/returns/ESP/{date}/history")).GetProperty("versions").EnumerateArray().ToList();

    private sealed record Outcome(HttpStatusCode Status, string? MediaType, string? ETag, string Raw, JsonElement Body);

    /// <summary>Starts <see cref="Writers"/> requests behind one gate, opens it, and waits for all of them.</summary>
    private static async Task<List<Outcome>> AllAtOnceAsync(Func<int, Task<HttpResponseMessage>> send)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            using var response = await send(i);
            var raw = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(raw.Length == 0 ? "null" : raw);
            return new Outcome(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.ETag?.Tag, raw, document.RootElement.Clone());
        })).ToList();
        gate.SetResult();
        return [.. await Task.WhenAll(tasks)];
    }
}
