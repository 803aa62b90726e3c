using System.Collections.Concurrent;
using Liberterra.Web.Security;

namespace Liberterra.Web.Tests;

/// <summary>The decided bound: a key revoked or a user disabled by any process is refused within 1 s on every instance.</summary>
public static class Revocation
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    /// <summary>Waits a little more than <see cref="Bound"/>, after which no instance may accept the credential.</summary>
    public static Task PastTheBoundAsync() => Task.Delay(Bound + TimeSpan.FromMilliseconds(100));
}

/// <summary><see cref="VerifiedCredentials{TKey, TValue}"/> on a clock the tests move by hand, against a pretend database.</summary>
public sealed class VerifiedCredentialsTests
{
    private readonly ManualClock clock = new();
    private readonly ConcurrentDictionary<string, string> valid = new(StringComparer.Ordinal);
    private int reads;

    private VerifiedCredentials<string, string> NewCache(Func<string, Task<string?>>? read = null) =>
        new(read ?? (key =>
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult(valid.TryGetValue(key, out var value) ? value : null);
        }), clock);

    [Fact]
    public void TheLifetimeIsPositiveAndWellUnderTheOneSecondBound()
    {
        VerifiedCredentials.Lifetime.Should().BePositive().And.BeLessThan(Revocation.Bound);
    }

    [Fact]
    public async Task AValidCredentialIsReadOnceAndThenServedFromMemoryUntilItsLifetimeEnds()
    {
        valid["hash"] = "key 7";
        var cache = NewCache();

        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");
        clock.Advance(VerifiedCredentials.Lifetime - TimeSpan.FromMilliseconds(1));
        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");

        reads.Should().Be(1, "within its lifetime the database is not asked again");
    }

    [Fact]
    public async Task ARevocationIsSeenByTheFirstRequestAfterTheLifetime()
    {
        valid["hash"] = "key 7";
        var cache = NewCache();
        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");

        valid.TryRemove("hash", out _);
        clock.Advance(VerifiedCredentials.Lifetime);

        (await cache.GetAsync("hash", CancellationToken.None)).Should().BeNull();
        reads.Should().Be(2);
    }

    [Fact]
    public async Task TheLifetimeCountsFromWhenTheReadBeganNotWhenItEnded()
    {
        var answer = new TaskCompletionSource<string?>();
        var cache = NewCache(_ =>
        {
            Interlocked.Increment(ref reads);
            return answer.Task;
        });
        var first = cache.GetAsync("hash", CancellationToken.None);

        // A slow read: its answer describes the database as it was when it began, and ages from then.
        clock.Advance(VerifiedCredentials.Lifetime);
        answer.SetResult("key 7");
        (await first).Should().Be("key 7");
        answer = new TaskCompletionSource<string?>();
        answer.SetResult(null);

        (await cache.GetAsync("hash", CancellationToken.None)).Should().BeNull("the slow answer was already a lifetime old");
        reads.Should().Be(2);
    }

    [Fact]
    public async Task ManyConcurrentRequestsForOneCredentialShareOneRead()
    {
        var answer = new TaskCompletionSource<string?>();
        var cache = NewCache(_ =>
        {
            Interlocked.Increment(ref reads);
            return answer.Task;
        });

        var waiting = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("hash", CancellationToken.None)).ToList();
        answer.SetResult("key 7");

        (await Task.WhenAll(waiting)).Should().OnlyContain(value => value == "key 7");
        reads.Should().Be(1);
    }

    [Fact]
    public async Task AFailedReadFailsItsRequestsAndIsNotKeptSoTheNextRequestReadsAgain()
    {
        var fail = true;
        var cache = NewCache(_ =>
        {
            Interlocked.Increment(ref reads);
            return fail ? Task.FromException<string?>(new TimeoutException("the database is down")) : Task.FromResult<string?>("key 7");
        });

        var failed = () => cache.GetAsync("hash", CancellationToken.None);
        await failed.Should().ThrowAsync<TimeoutException>("an outage reaches the request, which answers 503");
        await failed.Should().ThrowAsync<TimeoutException>();
        fail = false;

        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");
        reads.Should().Be(3, "a failure is never served from memory");
    }

    [Fact]
    public async Task DuringAnOutageACredentialIsNotTrustedPastItsLifetime()
    {
        var down = false;
        var cache = NewCache(_ => down ? Task.FromException<string?>(new TimeoutException("down")) : Task.FromResult<string?>("key 7"));
        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");

        down = true;
        clock.Advance(VerifiedCredentials.Lifetime);

        var afterLifetime = () => cache.GetAsync("hash", CancellationToken.None);
        await afterLifetime.Should().ThrowAsync<TimeoutException>("the old answer might hide a revocation the database cannot show");
    }

    [Fact]
    public async Task UnknownCredentialsAreNotKeptSoMadeUpKeysTakeNoMemory()
    {
        valid["hash"] = "key 7";
        var cache = NewCache();
        (await cache.GetAsync("hash", CancellationToken.None)).Should().Be("key 7");

        for (var i = 0; i < 5000; i++)
        {
            (await cache.GetAsync($"made-up {i}", CancellationToken.None)).Should().BeNull();
        }

        cache.Count.Should().Be(1, "only the valid credential is held");
        reads.Should().Be(5001, "each unknown credential is asked about, as before the cache");
    }

    [Fact]
    public async Task AFullCacheDropsExpiredEntriesAndPastThatStillAnswersWithoutKeepingMore()
    {
        var cache = NewCache(key => Task.FromResult<string?>(key));
        for (var i = 0; i < VerifiedCredentials.Capacity; i++)
        {
            await cache.GetAsync($"old {i}", CancellationToken.None);
        }

        cache.Count.Should().Be(VerifiedCredentials.Capacity);
        clock.Advance(VerifiedCredentials.Lifetime);
        (await cache.GetAsync("new", CancellationToken.None)).Should().Be("new");
        cache.Count.Should().Be(1, "the expired entries made room");

        for (var i = 0; i < VerifiedCredentials.Capacity + 10; i++)
        {
            (await cache.GetAsync($"fresh {i}", CancellationToken.None)).Should().Be($"fresh {i}", "a full cache still answers");
        }

        cache.Count.Should().Be(VerifiedCredentials.Capacity);
    }

    /// <summary>A monotonic clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
