using System.Collections.Concurrent;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Infrastructure;

/// <summary>
/// An operation's participants are fixed when it is created (no endpoint changes them), so writes read them from
/// memory rather than loading up to a few hundred rows on every return. Safe across instances for the same reason.
/// </summary>
public sealed class ParticipantCache
{
    private readonly ConcurrentDictionary<int, IReadOnlySet<string>> byOperation = new();

    public async Task<IReadOnlySet<string>> GetAsync(LiberterraDbContext db, int operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (byOperation.TryGetValue(operationId, out var cached))
        {
            return cached;
        }

        var participants = await db.Participants.AsNoTracking().Where(p => p.OperationId == operationId).Select(p => p.Country).ToListAsync(cancellationToken);
        return byOperation[operationId] = participants.ToHashSet(StringComparer.Ordinal);
    }
}
