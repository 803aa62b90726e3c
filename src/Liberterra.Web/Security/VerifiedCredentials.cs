using System.Collections.Concurrent;

namespace Liberterra.Web.Security;

/// <summary>
/// The promise about credentials: a key revoked or a user disabled in the database, by any process (the CLI is one),
/// is refused within 1 s on every instance. <see cref="VerifiedCredentials{TKey, TValue}"/> keeps that promise.
/// </summary>
public static class VerifiedCredentials
{
    /// <summary>
    /// How long the database's "valid" is trusted. It is counted from when the read began, which is before the database
    /// looked, not from when the answer came, so a request made this long after a revocation always gets an answer read
    /// after it, however slow the reads. Half the promised second, as a margin. The price is one read per credential
    /// in use, per instance, twice a second, against one per request before.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// At most this many credentials are held or being read. An unknown or revoked one is dropped as soon as its read
    /// ends, so made-up keys take no memory and what stays is bounded by the keys and users that exist; the cap guards
    /// against a flood of reads in flight at once. When it is reached, aged-out entries are dropped first; past that,
    /// the answer is read from the database and not kept.
    /// </summary>
    public const int Capacity = 10_000;
}

/// <summary>
/// Credentials that the database confirmed as valid, held in this instance's memory for <see cref="VerifiedCredentials.Lifetime"/>,
/// so a request with a known key or session costs no database read. Never longer: during a database outage an entry
/// that has aged out is not served, since that would break the promise; the request gets the read's error (a 503).
/// Concurrent requests for the same credential share one read, so an entry ageing out under load costs one read, not
/// one per request. Keys are held by their hash, never by the key itself.
/// </summary>
/// <param name="read">Reads one credential from the database: the value if it is valid, null if it is unknown or
/// revoked. It runs outside any request (several requests may wait on it), so it takes no request's cancellation.</param>
/// <param name="time">The monotonic clock the lifetime is measured on (a fake one in tests).</param>
public sealed class VerifiedCredentials<TKey, TValue>(Func<TKey, Task<TValue?>> read, TimeProvider time)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Lookup> lookups = new();

    /// <summary>How many credentials are held or being read; for tests.</summary>
    public int Count => lookups.Count;

    /// <summary>The credential if the database says it is valid, as of a read that began less than <see cref="VerifiedCredentials.Lifetime"/> ago.</summary>
    public Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        while (true)
        {
            if (lookups.TryGetValue(key, out var current) && IsTrusted(current, now))
            {
                // Completed and cancellation-free, this is the stored task itself: the common case allocates nothing.
                return current.Result.Task.WaitAsync(cancellationToken);
            }

            if (current is null && lookups.Count >= VerifiedCredentials.Capacity && !MadeRoom(now))
            {
                return read(key).WaitAsync(cancellationToken);
            }

            // Only the request that puts its lookup in the dictionary reads; one that loses the race takes the winner's.
            var lookup = new Lookup(now);
            if (current is null ? lookups.TryAdd(key, lookup) : lookups.TryUpdate(key, lookup, current))
            {
                _ = ReadAsync(key, lookup);
                return lookup.Result.Task.WaitAsync(cancellationToken);
            }
        }
    }

    // A failed read is never trusted: the next request reads again instead of getting the same error for the lifetime.
    private bool IsTrusted(Lookup lookup, long now) =>
        time.GetElapsedTime(lookup.StartedAt, now) < VerifiedCredentials.Lifetime && !lookup.Result.Task.IsFaulted;

    private bool MadeRoom(long now)
    {
        foreach (var (key, lookup) in lookups)
        {
            if (!IsTrusted(lookup, now))
            {
                lookups.TryRemove(KeyValuePair.Create(key, lookup));
            }
        }

        return lookups.Count < VerifiedCredentials.Capacity;
    }

    private async Task ReadAsync(TKey key, Lookup lookup)
    {
        try
        {
            var value = await read(key);
            lookup.Result.SetResult(value);
            if (value is null)
            {
                // Unknown or revoked: not kept, so made-up keys take no memory. Removed only if still this lookup.
                lookups.TryRemove(KeyValuePair.Create(key, lookup));
            }
        }
        catch (Exception exception)
        {
            lookups.TryRemove(KeyValuePair.Create(key, lookup));
            lookup.Result.SetException(exception);
        }
    }

    private sealed class Lookup(long startedAt)
    {
        public long StartedAt { get; } = startedAt;

        public TaskCompletionSource<TValue?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
