using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liberterra.Core.Security;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests;

/// <summary>
/// The real app in Production (so every /api route needs a key) with a key for every role. Each test creates its
/// own open operation, so tests sharing one app do not see each other's returns.
/// </summary>
public sealed class WriteApiFixture : IAsyncLifetime, IDisposable
{
    public const string MadridLabel = "NCB Madrid";
    public const string ParisLabel = "NCB Paris";
    public const string AdminLabel = "Secretariat admin";
    public const string AnalystLabel = "Analyst desk";

    private int operations;

    public LiberterraApp App { get; } = NewApp();

    public string AdminKey { get; private set; } = string.Empty;
    public string SpainKey { get; private set; } = string.Empty;
    public string FranceKey { get; private set; } = string.Empty;
    public string AnalystKey { get; private set; } = string.Empty;

    public long AdminKeyId { get; private set; }
    public long SpainKeyId { get; private set; }

    public HttpClient Admin => App.ClientWithKey(AdminKey);
    public HttpClient Spain => App.ClientWithKey(SpainKey);
    public HttpClient France => App.ClientWithKey(FranceKey);
    public HttpClient Analyst => App.ClientWithKey(AnalystKey);
    public HttpClient Anonymous => App.CreateClient();

    /// <summary>A Production app whose rate limit stays out of the way unless a test asks for one.</summary>
    public static LiberterraApp NewApp(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerSecond"] = "1000",
            ["RateLimiting:Burst"] = "1000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new LiberterraApp { EnvironmentName = "Production", Settings = all };
    }

    public async Task InitializeAsync()
    {
        AdminKey = await App.IssueKeyAsync(Role.Admin, label: AdminLabel);
        SpainKey = await App.IssueKeyAsync(Role.NationalUnit, "ESP", MadridLabel);
        FranceKey = await App.IssueKeyAsync(Role.NationalUnit, "FRA", ParisLabel);
        AnalystKey = await App.IssueKeyAsync(Role.Analyst, label: AnalystLabel);
        AdminKeyId = await KeyIdAsync(App, AdminKey);
        SpainKeyId = await KeyIdAsync(App, SpainKey);
    }

    /// <summary>Creates a new open operation (2026-11-01 to 2026-11-05; ESP, FRA and SEN) and returns its code.</summary>
    public Task<string> NewOperationAsync() =>
        WriteApi.CreateOperationAsync(Admin, $"drill-{Interlocked.Increment(ref operations)}");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();

    public static async Task<long> KeyIdAsync(LiberterraApp app, string key)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var hash = ApiKeys.Hash(key);
        return await db.ApiKeys.Where(k => k.KeyHash == hash).Select(k => k.Id).SingleAsync();
    }
}

/// <summary>Requests and assertions the write API tests share.</summary>
public static class WriteApi
{
    public const string StartDate = "2026-11-01";
    public const string EndDate = "2026-11-05";

    public static string ReturnsPath(string code) => $"/api/v1/operations/{code}/returns";

    public static string ReturnAt(string code, string country, string? date) => $"/api/v1/operations/{code}/returns/{country}/{date ?? "all"}";

    public static async Task<string> CreateOperationAsync(HttpClient admin, string code)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/operations", new
        {
            code,
            name = $"Drill {code}",
            startDate = StartDate,
            endDate = EndDate,
            participants = new[] { "ESP", "FRA", "SEN" },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return code;
    }

    /// <summary>A small, valid return.</summary>
    public static object Return(string country, string? date, int arrests = 5, string? notes = null) => new
    {
        country,
        date,
        arrests,
        arrestsTraffickingSmuggling = 2,
        victimsSafeguarded = 4,
        victimsByExploitation = new { sexual = 3 },
        officersDeployed = 40,
        notes,
    };

    public static Task<HttpResponseMessage> PostReturnAsync(HttpClient client, string code, object body, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(client, ReturnsPath(code), JsonContent.Create(body), configure);

    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string body, string? mediaType, Action<HttpRequestMessage>? configure = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        }

        return SendAsync(client, path, content, configure);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, HttpContent content, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    public static Action<HttpRequestMessage> WithHeader(string name, string value) =>
        request => request.Headers.TryAddWithoutValidation(name, value).Should().BeTrue();

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path} answered {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and title, and returns it.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)status, text);
        problem.GetProperty("title").GetString().Should().Be(title, text);
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name the field, and returns that field's messages.</summary>
    public static async Task<IReadOnlyList<string>> ShouldBeValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "One or more validation errors occurred.");
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).Should().BeTrue($"the errors should name '{field}': {errors}");
        var list = messages.EnumerateArray().Select(m => m.GetString()!).ToList();
        list.Should().NotBeEmpty().And.OnlyContain(m => m.Length > 0);
        return list;
    }

    public static int? Int(this JsonElement json, string name) =>
        json.GetProperty(name).ValueKind == JsonValueKind.Null ? null : json.GetProperty(name).GetInt32();

    public static long? Long(this JsonElement json, string name) =>
        json.GetProperty(name).ValueKind == JsonValueKind.Null ? null : json.GetProperty(name).GetInt64();

    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.Tag;

    /// <summary>
    /// Everything a rejected write must leave alone: the operation's returns (with versions and times), its totals,
    /// and the number of stored versions and idempotency records.
    /// </summary>
    public static async Task<string> SnapshotAsync(LiberterraApp app, HttpClient admin, string code)
    {
        var returns = await admin.GetStringAsync(ReturnsPath(code));
        var totals = await admin.GetStringAsync($"/api/v1/operations/{code}/totals");
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var versions = await db.ReturnVersions.CountAsync();
        var idempotency = await db.IdempotencyRecords.CountAsync();
        return $"{returns}\n{totals}\nversions={versions}\nidempotency={idempotency}";
    }

    /// <summary>Request content that does not announce its length, as a chunked upload would.</summary>
    public sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] bytes;

        public UnsizedContent(byte[] bytes, string mediaType)
        {
            this.bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
