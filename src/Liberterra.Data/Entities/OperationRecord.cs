using Liberterra.Core.Operations;

namespace Liberterra.Data.Entities;

public sealed class OperationRecord
{
    public int Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public OperationStatus Status { get; set; }

    /// <summary>Set on seeded operations: says which part of their figures is illustrative rather than published.</summary>
    public string? AllocationNote { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>
    /// Rises in the same transaction as every committed change to the operation's returns or status. Each instance
    /// polls it to learn that another instance changed figures it holds in memory (see AggregateCacheRefresh).
    /// </summary>
    public int Revision { get; set; }

    public List<ParticipantRecord> Participants { get; init; } = [];
    public List<PublishedFigureRecord> PublishedFigures { get; init; } = [];

    public Operation ToDomain() => ToDomain(Participants.Select(p => p.Country).ToHashSet(StringComparer.Ordinal));

    /// <summary>The domain operation with participants known from elsewhere (a cache), when they were not loaded.</summary>
    public Operation ToDomain(IReadOnlySet<string> participants) => new(
        Code,
        Name,
        StartDate,
        EndDate,
        Status,
        participants,
        PublishedFigures.OrderBy(f => f.Metric, StringComparer.Ordinal)
            .Select(f => new PublishedFigure(f.Metric, f.Value, f.Qualifier, f.Source)).ToList(),
        AllocationNote);
}

public sealed class ParticipantRecord
{
    public int OperationId { get; init; }
    public required string Country { get; init; }
}

public sealed class PublishedFigureRecord
{
    public int OperationId { get; init; }
    public required string Metric { get; init; }
    public long Value { get; set; }
    public FigureQualifier Qualifier { get; set; }
    public string? Source { get; set; }
}
