using Liberterra.Data;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Infrastructure;

/// <summary>
/// Runs a write in one database transaction. On SQLite it begins IMMEDIATE, so writers queue rather than interleave;
/// on PostgreSQL writes to one operation queue on its row lock (<see cref="LiberterraDbContext.OperationForWriteAsync"/>).
/// Should a concurrent writer still win a unique index or a version check (a failed statement also ends a PostgreSQL
/// transaction), the whole unit is retried from a clean slate: it re-reads, so it sees the other write and amends on top of it.
/// The work commits itself; returning without committing rolls everything back (a dry run, a rejected batch).
/// </summary>
public static class WriteTransaction
{
    private const int Attempts = 3;

    public static Task<T> RunAsync<T>(LiberterraDbContext db, WriteGate gate, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return gate.RunAsync(() => RunAsync(db, work, cancellationToken), cancellationToken);
    }

    private static async Task<T> RunAsync<T>(LiberterraDbContext db, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await using (transaction)
            {
                try
                {
                    return await work();
                }
                catch (DbUpdateException exception) when (attempt < Attempts && !DatabaseUnavailable.IsUnavailable(exception))
                {
                    // Lost a race with another writer; go round again and see its result. An unavailable database is
                    // not retried here: the client is told 503 at once and retries after Retry-After.
                }
            }
        }
    }
}
