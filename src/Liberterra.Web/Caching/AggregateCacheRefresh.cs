using Liberterra.Data;
using Liberterra.Web.Hosting;
using Liberterra.Web.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Caching;

/// <summary>
/// Keeps this instance's <see cref="AggregateCache"/>, and with it the rendered pages that vary by its generation, in
/// step with writes that other instances make to the same database. Every <c>Cache:RefreshMilliseconds</c> (default
/// 1000) it reads each operation's revision (<see cref="LiberterraDbContext.OperationRevisions"/>), one small query over
/// the Operations and OperationParticipants tables, and drops every cached roll-up computed at an older revision, so a write made through this instance,
/// already dropped and recomputed, is not dropped twice. An operation it has not seen before (created, or seeded by a
/// newer instance) invalidates everything, the countries included.
/// </summary>
/// <remarks>
/// The bound: a write committed on another instance is seen by every request here that starts more than
/// RefreshMilliseconds (plus the few milliseconds the poll itself takes) after the commit; the first such request also
/// pays for one roll-up. A revision is raised in the write's own transaction, under the lock of the row it raises (the
/// operation's for a status change, the country's for its returns), and the operation's revision is the sum of them, so
/// no committed change can slip past a poll, whatever order concurrent transactions commit in (which a MAX(Id) over the
/// return versions could not promise on PostgreSQL). Writes made by this instance invalidate at once, as before.
/// </remarks>
public sealed partial class AggregateCacheRefresh(
    IServiceScopeFactory scopes, AggregateCache cache, IOptions<CacheSettings> settings, ILogger<AggregateCacheRefresh> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.Refresh);
        Dictionary<string, long>? seen = null;
        var failing = false;
        do
        {
            // Nothing may escape: an exception leaving a BackgroundService stops the whole host.
            try
            {
                seen = await RefreshAsync(seen, stoppingToken);
                if (failing)
                {
                    failing = false;
                    PollResumed(logger);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The last revisions seen are kept, so whatever changed meanwhile is caught by the first poll that works.
                // An outage is logged once, not once a second, and without the exception's text; anything else is a bug
                // and is logged in full every time.
                if (!DatabaseUnavailable.IsUnavailable(exception))
                {
                    PollBroken(logger, exception);
                }
                else if (!failing)
                {
                    PollFailed(logger, DatabaseUnavailable.Describe(exception));
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Dictionary<string, long>> RefreshAsync(Dictionary<string, long>? seen, CancellationToken cancellationToken)
    {
        Dictionary<string, long> current;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
            current = await db.OperationRevisions()
                .ToDictionaryAsync(o => o.Code, o => o.Revision, StringComparer.Ordinal, cancellationToken);
        }

        // The first poll knows nothing yet: anything cached before it may predate a write it can no longer tell apart.
        if (seen is null || current.Keys.Any(code => !seen.ContainsKey(code)))
        {
            cache.InvalidateAll();
            return current;
        }

        // Every entry is compared, not only those whose revision moved since the last poll: a roll-up that was being
        // computed from an older revision while that poll ran is caught by this one.
        foreach (var (code, revision) in current)
        {
            cache.InvalidateIfOlderThan(code, revision);
            if (seen[code] != revision)
            {
                Changed(logger, code, revision);
            }
        }

        return current;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "{Operation} is at revision {Revision}; a roll-up cached from an older one is dropped")]
    private static partial void Changed(ILogger logger, string operation, long revision);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Could not check the database for other instances' writes ({Cause}); cached figures may lag until a check succeeds")]
    private static partial void PollFailed(ILogger logger, string cause);

    [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "Checking the database for other instances' writes failed; cached figures may lag until a check succeeds")]
    private static partial void PollBroken(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "The database answers again; cached figures follow other instances' writes again")]
    private static partial void PollResumed(ILogger logger);
}
