using System.Text.Json;
using System.Text.Json.Serialization;
using Liberterra.Core.Operations;

namespace Liberterra.Data.Seeding;

/// <summary>The shape of <c>seed-data/operations.json</c>.</summary>
public sealed record SeedFile(IReadOnlyList<SeedOperation> Operations)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

/// <param name="DataSet">The name of the data set template the operation collects; trafficking-smuggling when left out.</param>
public sealed record SeedOperation(
    string Code,
    string Name,
    DateOnly StartDate,
    DateOnly EndDate,
    OperationStatus Status,
    string ReturnsFile,
    string AllocationNote,
    IReadOnlyList<string> Participants,
    IReadOnlyList<SeedPublishedFigure> PublishedFigures,
    string? DataSet = null);

public sealed record SeedPublishedFigure(string Metric, long Value, FigureQualifier Qualifier, string? Source);
