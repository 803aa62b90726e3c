using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Data;

/// <summary>Read-side queries. Aggregates are built from the current returns only, never from the version history.</summary>
public sealed class OperationReader(LiberterraDbContext db)
{
    public async Task<IReadOnlyList<Operation>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = await db.Operations.AsNoTracking()
            .Include(o => o.Participants)
            .Include(o => o.PublishedFigures)
            .AsSplitQuery()
            .OrderByDescending(o => o.StartDate).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return records.Select(o => o.ToDomain()).ToList();
    }

    /// <summary>
    /// The code of the operation that started last, or null when there is none. Operations that start on the same day
    /// are taken in the order they were created, as <see cref="ListAsync"/> lists them, so no database settles a tie its own way.
    /// </summary>
    public Task<string?> LatestCodeAsync(CancellationToken cancellationToken = default) =>
        db.Operations.OrderByDescending(o => o.StartDate).ThenBy(o => o.Id).Select(o => o.Code).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<string, Country>> CountriesAsync(CancellationToken cancellationToken = default)
    {
        var records = await db.Countries.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return records.ToDictionary(c => c.Alpha3, c => c.ToDomain(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Rolls up one operation, or returns null when no operation has that code. The revision is read before the
    /// returns, so the roll-up reflects at least that revision (a later write may slip in; never an earlier state).
    /// </summary>
    public async Task<RevisedAggregate?> AggregateAsync(
        string code, IReadOnlyDictionary<string, Country> countries, CancellationToken cancellationToken = default)
    {
        var operation = await db.Operations.AsNoTracking()
            .Include(o => o.Participants)
            .Include(o => o.PublishedFigures)
            .AsSplitQuery()
            .SingleOrDefaultAsync(o => o.Code == code, cancellationToken).ConfigureAwait(false);
        if (operation is null)
        {
            return null;
        }

        // Read on its own, before the returns: the operation and its participants came from two queries of a split query,
        // so neither of their revisions is a promise about the returns read after them.
        var revision = await db.OperationRevisions().Where(o => o.Id == operation.Id).Select(o => o.Revision)
            .SingleAsync(cancellationToken).ConfigureAwait(false);
        var returns = await db.Returns.AsNoTracking()
            .Where(r => r.OperationId == operation.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new RevisedAggregate(
            ReturnAggregator.Aggregate(operation.ToDomain(), countries, returns.Select(r => r.ToDomain()).ToList()), revision);
    }

    /// <summary>
    /// One country's current returns in an operation, and the newest <paramref name="historyLimit"/> versions of them
    /// with the total count, so the page costs the same however long the history grows.
    /// </summary>
    public async Task<CountryHistory> CountryHistoryAsync(string code, string country, int historyLimit, CancellationToken cancellationToken = default)
    {
        var returns = await db.Returns.AsNoTracking()
            .Where(r => r.Country == country && db.Operations.Any(o => o.Id == r.OperationId && o.Code == code))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = returns.Select(r => r.Id).ToList();
        var versions = db.ReturnVersions.AsNoTracking().Where(v => ids.Contains(v.ReturnId));
        var total = await versions.CountAsync(cancellationToken).ConfigureAwait(false);
        var newest = await versions.OrderByDescending(v => v.Id).Take(historyLimit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new CountryHistory(returns, newest, total);
    }
}

/// <summary>An operation's roll-up and the revision (<see cref="LiberterraDbContext.OperationRevisions"/>) it reflects at least.</summary>
public sealed record RevisedAggregate(OperationAggregate Aggregate, long Revision);

/// <summary>A country's current returns, its newest versions (newest first) and how many versions it has in all.</summary>
public sealed record CountryHistory(IReadOnlyList<ReturnRecord> Returns, IReadOnlyList<ReturnVersionRecord> NewestVersions, int TotalVersions);
