using System.Collections.Concurrent;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Data;

namespace Liberterra.Web.Infrastructure;

/// <summary>
/// Keeps each operation's roll-up in memory so a read costs the same whatever the size of the history.
/// Anything in this process that changes an operation's returns calls <see cref="Invalidate"/>; changes made by other
/// instances reach it through <see cref="AggregateCacheRefresh"/>. A generation counter stops a roll-up computed
/// before that change from being stored after it.
/// </summary>
public sealed class AggregateCache(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, OperationAggregate> entries = new(StringComparer.Ordinal);
    private readonly Lock sync = new();
    private long generation;
    private IReadOnlyDictionary<string, Country>? countries;

    /// <summary>Rises with every change to any operation's returns; cached pages vary by it, so a write retires them.</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The operation's current roll-up, or null when no operation has that code (unknown codes are not cached).</summary>
    public async Task<OperationAggregate?> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (entries.TryGetValue(code, out var cached))
        {
            return cached;
        }

        var startedAt = Interlocked.Read(ref generation);
        using var scope = scopes.CreateScope();
        var reader = scope.ServiceProvider.GetRequiredService<OperationReader>();
        // Read the shared field once: InvalidateAll may clear it meanwhile, and a list read before an invalidation must
        // not be stored after it.
        var known = countries;
        if (known is null)
        {
            known = await reader.CountriesAsync(cancellationToken);
            lock (sync)
            {
                if (Interlocked.Read(ref generation) == startedAt)
                {
                    countries = known;
                }
            }
        }

        var aggregate = await reader.AggregateAsync(code, known, cancellationToken);
        if (aggregate is not null)
        {
            lock (sync)
            {
                if (Interlocked.Read(ref generation) == startedAt)
                {
                    entries[code] = aggregate;
                }
            }
        }

        return aggregate;
    }

    /// <summary>Call after the change has committed; called before, a reader could cache the old figures again.</summary>
    public void Invalidate(string code)
    {
        lock (sync)
        {
            Interlocked.Increment(ref generation);
            entries.TryRemove(code, out _);
        }
    }

    /// <summary>Forgets every roll-up and the countries, which only seeding adds to, and only with a new operation.</summary>
    public void InvalidateAll()
    {
        lock (sync)
        {
            Interlocked.Increment(ref generation);
            entries.Clear();
            countries = null;
        }
    }
}
