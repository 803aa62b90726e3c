using Liberterra.Core.DataSets;
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

    /// <summary>What the operation collects; stored as the JSON of its indicator definitions.</summary>
    public required DataSet DataSet { get; set; }

    /// <summary>Set on seeded operations: says which part of their figures is illustrative rather than published.</summary>
    public string? AllocationNote { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>
    /// Rises in the same transaction as every committed change to the operation's status; changes to its returns raise
    /// their country's <see cref="ParticipantRecord.Revision"/> instead. Each instance polls the sum of the two
    /// (<see cref="LiberterraDbContext.OperationRevisions"/>) to learn that another instance changed figures it holds in
    /// memory (see AggregateCacheRefresh).
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
        AllocationNote,
        DataSet);
}

/// <summary>
/// A country taking part in an operation. Its row is also the country's write turn on PostgreSQL and the revision of
/// its returns (see <see cref="LiberterraDbContext.LockCountriesAsync"/>).
/// </summary>
public sealed class ParticipantRecord
{
    public int OperationId { get; init; }
    public required string Country { get; init; }

    /// <summary>
    /// Rises in the same transaction as every committed change to this country's returns in the operation; other
    /// instances poll the sum over an operation's participants (see AggregateCacheRefresh).
    /// </summary>
    public int Revision { get; set; }
}

public sealed class PublishedFigureRecord
{
    public int OperationId { get; init; }
    public required string Metric { get; init; }
    public long Value { get; set; }
    public FigureQualifier Qualifier { get; set; }
    public string? Source { get; set; }
}
