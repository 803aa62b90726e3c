using System.Collections.Concurrent;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Writes;

/// <summary>
/// An operation's window and participants are fixed when it is created (no endpoint changes them), so writes validate
/// against them from memory, before their turn, rather than loading up to a few hundred rows on every return. Safe
/// across instances for the same reason. Unknown codes are not remembered: another instance may create them.
/// </summary>
public sealed class OperationDefinitions
{
    private readonly ConcurrentDictionary<string, OperationDefinition> byCode = new(StringComparer.Ordinal);

    public async Task<OperationDefinition?> FindAsync(LiberterraDbContext db, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (byCode.TryGetValue(code, out var cached))
        {
            return cached;
        }

        if (!DatabaseText.CanStore(code))
        {
            return null;
        }

        var record = await db.Operations.AsNoTracking().Include(o => o.Participants).SingleOrDefaultAsync(o => o.Code == code, cancellationToken);
        return record is null ? null : byCode[code] = new OperationDefinition(record.Id, record.ToDomain());
    }
}
