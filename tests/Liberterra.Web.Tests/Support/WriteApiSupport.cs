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
/// The real app in Production (so every /api route needs a key) with a key for every role: an admin, Spain's and
/// France's national units, and an analyst. Each test creates its own open operation, so tests sharing one app do not
/// see each other's returns.
/// </summary>
public sealed class WriteApiFixture : IAsyncLifetime, IDisposable
{
    private int operations;
    private ApiDrill keys = null!;

    public LiberterraApp App { get; } = LiberterraApp.Production();

    public string AdminKey => keys.AdminKey;
    public string SpainKey => keys.UnitKeys["ESP"];
    public string FranceKey => keys.UnitKeys["FRA"];
    public string AnalystKey => keys.AnalystKey;

    public long AdminKeyId { get; private set; }
    public long SpainKeyId { get; private set; }

    public HttpClient Admin => keys.Admin;
    public HttpClient Spain => keys.Unit("ESP");
    public HttpClient France => keys.Unit("FRA");
    public HttpClient Analyst => keys.Analyst;
    public HttpClient Anonymous => App.CreateClient();

    public async Task InitializeAsync()
    {
        keys = await ApiDrill.CreateAsync(App, code: null, units: ["ESP", "FRA"], analyst: true);
        AdminKeyId = await App.KeyIdAsync(AdminKey);
        SpainKeyId = await App.KeyIdAsync(SpainKey);
    }

    /// <summary>Creates a new open operation (see <see cref="ApiDrill.CreateOperationAsync"/>) and returns its code.</summary>
    public async Task<string> NewOperationAsync()
    {
        using var admin = Admin;
        return await ApiDrill.CreateOperationAsync(admin, $"drill-{Interlocked.Increment(ref operations)}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

/// <summary>Requests and assertions the write API tests share.</summary>
public static class WriteApi
{
    public static string ReturnsPath(string code) => $"/api/v1/operations/{code}/returns";

    public static string ReturnAt(string code, string country, string? date) => $"/api/v1/operations/{code}/returns/{country}/{date ?? "all"}";

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
