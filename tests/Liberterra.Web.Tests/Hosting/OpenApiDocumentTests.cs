using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Liberterra.Web.Tests;

/// <summary>
/// The served OpenAPI document is one a client can be generated from: every response has its schema, and the committed
/// copy that tests/Liberterra.Client.Tests generates its client from is exactly what the app serves.
/// </summary>
public sealed class OpenApiDocumentTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    public const string RefreshVariable = "LIBERTERRA_REFRESH_OPENAPI";

    private const string DocumentPath = "/swagger/v1/swagger.json";

    private static readonly string[] ProblemSchemas = ["#/components/schemas/ProblemDetails", "#/components/schemas/HttpValidationProblemDetails"];

    [Fact]
    public async Task EveryOperationDescribesItsSuccessWithASchemaAndItsErrorsAsProblems()
    {
        var document = await seeded.Client.GetFromJsonAsync<JsonElement>(DocumentPath);
        var defects = new List<string>();
        var operations = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                if (!responses.Any(r => r.Name.StartsWith('2')))
                {
                    defects.Add($"{name} describes no success response");
                }

                foreach (var response in responses)
                {
                    defects.AddRange(ResponseDefects(document, $"{name} {response.Name}", response.Name, response.Value));
                }
            }
        }

        operations.Should().Be(19, "every /api operation is walked");
        defects.Should().BeEmpty();
    }

    [Fact]
    public async Task EveryOperationNeedingAKeySaysWhatAMissingKeyOrRoleGetsAndTheWriteHeadersAreDeclared()
    {
        var document = await seeded.Client.GetFromJsonAsync<JsonElement>(DocumentPath);
        var paths = document.GetProperty("paths");
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var statuses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                statuses.Should().Contain(["401", "403", "429"], $"{operation.Name.ToUpperInvariant()} {path.Name} needs a key (or anonymous reads) and is rate limited");
            }
        }

        static List<string> RequestHeaders(JsonElement operation) => operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!).ToList()
            : [];
        static List<string> ResponseHeaders(JsonElement operation, string status) =>
            operation.GetProperty("responses").GetProperty(status).TryGetProperty("headers", out var headers) ? headers.EnumerateObject().Select(h => h.Name).ToList() : [];

        var submit = paths.GetProperty("/api/v1/operations/{code}/returns").GetProperty("post");
        RequestHeaders(submit).Should().BeEquivalentTo("Idempotency-Key", "If-Match");
        ResponseHeaders(submit, "201").Should().BeEquivalentTo("ETag", "Idempotent-Replayed");
        ResponseHeaders(submit, "200").Should().BeEquivalentTo("ETag", "Idempotent-Replayed");
        var batch = paths.GetProperty("/api/v1/operations/{code}/returns/batch").GetProperty("post");
        RequestHeaders(batch).Should().Equal("Idempotency-Key");
        ResponseHeaders(paths.GetProperty("/api/v1/operations/{code}/returns/{country}/{period}").GetProperty("get"), "200").Should().Equal("ETag");
    }

    [Fact]
    public async Task PropertiesThatAreAlwaysSentAndNeverNullAreMarkedRequired()
    {
        var schemas = (await seeded.Client.GetFromJsonAsync<JsonElement>(DocumentPath)).GetProperty("components").GetProperty("schemas");
        static List<string> Required(JsonElement schema) =>
            schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToList() : [];

        Required(schemas.GetProperty("ReturnDto")).Should().Contain(["operation", "country", "version", "updatedAt"])
            .And.NotContain("arrests", "a figure may be null: not reported");
        Required(schemas.GetProperty("TotalsDto")).Should().Contain(["operation", "reportedBy", "illustrativeAllocation"]);
        Required(schemas.GetProperty("ReturnSubmission")).Should().BeEmpty("a missing field is a 400 that names it, not a schema error");
        foreach (var figured in new[] { "ReturnDto", "TotalsDto", "CountryDto", "DayDto", "ReturnSubmission" })
        {
            schemas.GetProperty(figured).GetProperty("additionalProperties").GetProperty("oneOf").GetArrayLength()
                .Should().Be(2, $"{figured} carries the data set's indicators as further fields, a number or a breakdown's object");
        }
    }

    [Fact]
    public async Task TheDocumentNamesARelativeServerATagDescriptionForEveryTagAContactAndALicence()
    {
        var document = await seeded.Client.GetFromJsonAsync<JsonElement>(DocumentPath);

        document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).Should().Equal("/");
        var used = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .SelectMany(operation => operation.Value.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!))
            .ToHashSet();
        used.Should().BeEquivalentTo(["Operations", "Returns", "Audit", "Data sets"]);
        var described = document.GetProperty("tags").EnumerateArray()
            .Where(tag => tag.TryGetProperty("description", out var description) && description.GetString()!.Length > 20)
            .Select(tag => tag.GetProperty("name").GetString());
        described.Should().BeEquivalentTo(used);
        var info = document.GetProperty("info");
        info.GetProperty("license").GetProperty("name").GetString().Should().StartWith("Proprietary");
        info.GetProperty("contact").GetProperty("name").GetString().Should().Contain("maintainers");
    }

    /// <summary>
    /// The client in tests/Liberterra.Client.Tests is generated from the committed snapshot at build time, so this
    /// keeps it from drifting from what the app serves. After an intended API change, refresh it with
    /// <c>LIBERTERRA_REFRESH_OPENAPI=1 dotnet test tests/Liberterra.Web.Tests --filter FullyQualifiedName~OpenApiDocumentTests</c>
    /// and commit the file.
    /// </summary>
    [Fact]
    public async Task TheCommittedSnapshotTheClientIsGeneratedFromIsWhatTheAppServes()
    {
        var served = await seeded.Client.GetStringAsync(DocumentPath);
        var snapshotPath = typeof(OpenApiDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OpenApiSnapshot").Value!;
        var committed = File.Exists(snapshotPath) ? await File.ReadAllTextAsync(snapshotPath) : "{}";
        if (JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(committed)))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            await File.WriteAllTextAsync(snapshotPath, served);
        }

        Assert.Fail(Environment.GetEnvironmentVariable(RefreshVariable) == "1"
            ? $"{snapshotPath} was out of date and has been rewritten from the served document: commit it, and rebuild tests/Liberterra.Client.Tests."
            : $"The served OpenAPI document differs from {snapshotPath}, which the generated client is built from. If the change is intended, "
                + $"refresh the file with {RefreshVariable}=1 dotnet test tests/Liberterra.Web.Tests --filter FullyQualifiedName~OpenApiDocumentTests, and commit it.");
    }

    private static IEnumerable<string> ResponseDefects(JsonElement document, string name, string status, JsonElement response)
    {
        if (!response.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
        {
            yield return $"{name} has no content";
            yield break;
        }

        foreach (var media in content.EnumerateObject())
        {
            var schema = media.Value.TryGetProperty("schema", out var found) ? found : default;
            var defect = (status[0], media.Name) switch
            {
                ('2', "application/json") => JsonSchemaDefect(document, schema),
                ('2', "text/csv") => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && type.GetString() == "string"
                    ? null
                    : "is not described as a string",
                ('2', _) => "is a media type this test does not know",
                (_, "application/problem+json") => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference)
                    && ProblemSchemas.Contains(reference.GetString())
                    ? null
                    : "is not a ProblemDetails or ValidationProblemDetails",
                _ => "is an error that is not application/problem+json",
            };
            if (defect is not null)
            {
                yield return $"{name} {media.Name} {defect}";
            }
        }
    }

    /// <summary>Null when the schema names a component that exists, or is an array of one; otherwise what is wrong.</summary>
    private static string? JsonSchemaDefect(JsonElement document, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "has no schema";
        }

        if (schema.TryGetProperty("type", out var type) && type.GetString() == "array")
        {
            return schema.TryGetProperty("items", out var items) ? JsonSchemaDefect(document, items) : "is an array of nothing described";
        }

        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return "has a schema that names no component";
        }

        var component = reference.GetString()!["#/components/schemas/".Length..];
        return document.GetProperty("components").GetProperty("schemas").TryGetProperty(component, out var target)
            && target.TryGetProperty("properties", out var properties) && properties.EnumerateObject().Any()
            ? null
            : $"names {component}, which describes no properties";
    }
}
