using System.Collections.Concurrent;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Data;

namespace Liberterra.Web.Caching;

/// <summary>
/// Keeps each operation's roll-up in memory so a read costs the same whatever the size of the history.
/// Anything in this process that changes an operation's returns calls <see cref="Invalidate"/>; changes made by other
/// instances reach it through <see cref="AggregateCacheRefresh"/>. A generation counter stops a roll-up computed
/// before that change from being stored after it.
/// </summary>
public sealed class AggregateCache(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, RevisedAggregate> entries = new(StringComparer.Ordinal);
    private readonly Lock sync = new();
    private long generation;
    private IReadOnlyDictionary<string, Country>? countries;

    /// <summary>Rises with every change to any operation's returns; cached pages vary by it, so a write retires them.</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The operation's current roll-up, or null when no operation has that code (unknown codes are not cached).</summary>
    /// <param name="code">Null for a blank route value (a page binds /operations/%09 as null), which names no operation.</param>
    public async Task<OperationAggregate?> GetAsync(string? code, CancellationToken cancellationToken)
    {
        if (code is null)
        {
            return null;
        }

        if (entries.TryGetValue(code, out var cached))
        {
            return cached.Aggregate;
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

        var revised = await reader.AggregateAsync(code, known, cancellationToken);
        if (revised is not null)
        {
            lock (sync)
            {
                if (Interlocked.Read(ref generation) == startedAt)
                {
                    entries[code] = revised;
                }
            }
        }

        return revised?.Aggregate;
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

    /// <summary>
    /// Drops the operation's roll-up if it was computed before <paramref name="revision"/>. A write made through this
    /// instance has already dropped it and the next read has caught up, so the poll does not throw that work away again.
    /// </summary>
    public void InvalidateIfOlderThan(string code, long revision)
    {
        lock (sync)
        {
            if (entries.TryGetValue(code, out var cached) && cached.Revision < revision)
            {
                Interlocked.Increment(ref generation);
                entries.TryRemove(code, out _);
            }
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
