using System.Collections.Concurrent;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Writes;

/// <summary>
/// An operation's window and participants are fixed when it is created (no endpoint changes them), so writes validate
/// against them from memory, before their turn, rather than loading up to a few hundred rows on every return. Its data
/// set can change: a write's turn compares the stored one with the one it was checked against, and on a difference
/// refuses the write and forgets the operation here (<see cref="Forget"/>), as the endpoints that change it do.
/// Unknown codes are not remembered: another instance may create them.
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

    /// <summary>Reads the operation afresh next time: its data set changed.</summary>
    public void Forget(string code) => byCode.TryRemove(code, out _);
}
