using System.Net.Http.Json;
using System.Text.Json;

namespace Liberterra.Reliability.Tests;

/// <summary>The app's HTTP API as the tests' clients use it, and the keys and operation they share.</summary>
internal static class Api
{
    public const string Operation = "reliability-drill";
    public static readonly DateOnly FirstDay = new(2026, 11, 1);
    public const int WindowDays = 30;

    private static readonly string[] AllCountries =
        ["ESP", "FRA", "DEU", "ITA", "PRT", "NLD", "BEL", "POL", "ROU", "GRC", "SWE", "AUT", "NGA", "BRA", "THA", "MAR"];

    public static IReadOnlyList<string> Countries(int count) => AllCountries[..count];

    /// <summary>One `keys issue` per country, four at a time: each run is a whole app start-up, about a second or two.</summary>
    public static async Task<Dictionary<string, string>> IssueCountryKeysAsync(AppProcess app, IEnumerable<string> countries)
    {
        var keys = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(countries, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (country, _) => keys[country] = await app.IssueKeyAsync("national-unit", country));
        return new Dictionary<string, string>(keys);
    }

    /// <summary>An open operation over <see cref="WindowDays"/> days for the given countries (the seeded ones are final).</summary>
    public static async Task CreateOperationAsync(HttpClient http, Uri baseAddress, string adminKey, IEnumerable<string> participants)
    {
        using var request = Request(HttpMethod.Post, baseAddress, "/api/v1/operations", adminKey, new
        {
            code = Operation,
            name = "Reliability drill",
            startDate = FirstDay,
            endDate = FirstDay.AddDays(WindowDays - 1),
            participants,
        });
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static HttpRequestMessage Request(HttpMethod method, Uri baseAddress, string path, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.Add("X-Api-Key", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri baseAddress, string path, string key)
    {
        using var request = Request(HttpMethod.Get, baseAddress, path, key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static HttpClient NewClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };
}

/// <summary>
/// The figures one write sends. Notes names the write, so every stored version traces back to exactly one request.
/// </summary>
internal sealed record Figures(int Arrests, int VictimsSafeguarded, int IrregularMigrants, string Notes)
{
    public static Figures Random(Random random, string notes) => new(random.Next(1000), random.Next(1000), random.Next(1000), notes);

    public static Figures Read(JsonElement json) => new(
        json.GetProperty("arrests").GetInt32(),
        json.GetProperty("victimsSafeguarded").GetInt32(),
        json.GetProperty("irregularMigrants").GetInt32(),
        json.GetProperty("notes").GetString()!);

    public object Body(string country, DateOnly day) => new
    {
        country,
        date = day,
        arrests = Arrests,
        victimsSafeguarded = VictimsSafeguarded,
        irregularMigrants = IrregularMigrants,
        notes = Notes,
    };
}
