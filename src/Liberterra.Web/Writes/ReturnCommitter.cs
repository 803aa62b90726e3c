using System.Threading.Channels;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Audit;
using Liberterra.Web.Caching;
using Liberterra.Web.Hosting;
using Liberterra.Web.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Writes;

/// <summary>
/// Commits writes to returns, with group commit: the single returns that arrive while a transaction is being committed
/// wait in a queue and then share the next transaction, so a turn of the writer (SQLite's one write lock) and a durable
/// commit are spent once per group instead of once per return. A batch, already parsed and validated before its turn,
/// has a turn of its own that holds only its short commit, and other countries' single returns queue behind that alone.
/// </summary>
/// <remarks>
/// <para>Each client is answered only after the transaction that holds its write has committed. A write is refused (404,
/// 409, 412, 422, 400) by decisions made in memory before anything is saved, so a refusal never spoils its group. Should
/// the save itself fail (a unique index lost to another instance's writer, say), the group is rolled back and each of
/// its writes is retried alone, up to <see cref="Attempts"/> times, in a transaction of its own: a write that fails
/// inside a group fails alone. A database that is unavailable fails the whole group at once (503), not once per write.</para>
/// <para>SQLite takes one writer, so one loop commits, and it takes <see cref="WriteGate"/> for each turn so that the
/// few other writes in this process (audit entries of refusals, keys' last use, operations) queue with it. PostgreSQL
/// takes <see cref="PostgresWriters"/> loops, whose transactions lock only the countries they write
/// (<see cref="LiberterraDbContext.LockCountriesAsync"/>), so writes for different countries run side by side.</para>
/// </remarks>
public sealed partial class ReturnCommitter : IAsyncDisposable
{
    /// <summary>Tries of a write that lost a race with another writer; each re-reads and so sees the other's result.</summary>
    private const int Attempts = 3;

    /// <summary>The most single returns one transaction carries; more wait for the next.</summary>
    private const int MaxGroup = 256;

    /// <summary>
    /// Two, so that one group can be decided while another waits for its commit to be flushed. More writers only split
    /// the same writes into smaller groups, and PostgreSQL's cost is mostly per transaction: with 32 clients on this
    /// 2-core machine one instance acknowledged 267-345 returns/s with 8 writers, 430 with 4, 505 with 2 and 565 with 1
    /// (docs/performance.md). Writes for different countries still run side by side across instances.
    /// </summary>
    private const int PostgresWriters = 2;

    private readonly Channel<PreparedWrite> queue = Channel.CreateUnbounded<PreparedWrite>();
    private readonly IServiceScopeFactory scopes;
    private readonly WriteGate gate;
    private readonly AggregateCache cache;
    private readonly OperationDefinitions definitions;
    private readonly ILogger<ReturnCommitter> logger;
    private readonly Task[] writers;

    public ReturnCommitter(
        IServiceScopeFactory scopes, WriteGate gate, AggregateCache cache, OperationDefinitions definitions, IOptions<DatabaseSettings> database, ILogger<ReturnCommitter> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        (this.scopes, this.gate, this.cache, this.definitions, this.logger) = (scopes, gate, cache, definitions, logger);
        var sqlite = database.Value.Provider == DatabaseProvider.Sqlite;

        // Plain tasks rather than a hosted service: the host stops its hosted services before Kestrel has drained the
        // requests in flight, and every one of those must still be committed and answered.
        writers = Enumerable.Range(0, sqlite ? 1 : PostgresWriters).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Queues the write for its turn and returns its response once it has committed (or been refused).</summary>
    public Task<WriteResponse> CommitAsync(PreparedWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(ReturnCommitter), "The app is stopping.");
        }

        return write.Completion.Task;
    }

    /// <summary>
    /// Decides a dry run exactly as its write would be decided, against the current returns, and saves nothing: it needs
    /// no turn and does not wait for one.
    /// </summary>
    public static async Task<WriteResponse> DryRunAsync(LiberterraDbContext db, OperationDefinitions definitions, PreparedWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var outcome = await DecideAsync(db, definitions, [write], commit: false, cancellationToken);
        return outcome.Responses[0]!;
    }

    private async Task RunAsync()
    {
        PreparedWrite? carried = null;
        while (true)
        {
            var first = carried;
            carried = null;
            if (first is null)
            {
                try
                {
                    first = await queue.Reader.ReadAsync();
                }
                catch (ChannelClosedException)
                {
                    return;
                }
            }

            List<PreparedWrite> group = [first];
            while (!first.IsBatch && group.Count < MaxGroup && queue.Reader.TryRead(out var next))
            {
                if (next.IsBatch)
                {
                    carried = next;
                    break;
                }

                group.Add(next);
            }

            await CommitGroupAsync(group);
        }
    }

    private async Task CommitGroupAsync(List<PreparedWrite> group)
    {
        try
        {
            Complete(await TurnAsync(group));
        }
        catch (Exception exception) when (!DatabaseUnavailable.IsUnavailable(exception))
        {
            // A group of one is retried too: it may have lost a race (on PostgreSQL, a unique index to another instance).
            GroupFailed(logger, group.Count, exception.GetType().Name);
            foreach (var write in group)
            {
                await CommitAloneAsync(write);
            }
        }
        catch (Exception exception)
        {
            foreach (var write in group)
            {
                write.Completion.TrySetException(exception);
            }
        }
    }

    private async Task CommitAloneAsync(PreparedWrite write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Complete(await TurnAsync([write]));
                return;
            }
            catch (DbUpdateException exception) when (attempt < Attempts && !DatabaseUnavailable.IsUnavailable(exception))
            {
                // Lost a race with another writer (on PostgreSQL, another instance's); go round again and see its result.
            }
            catch (Exception exception)
            {
                write.Completion.TrySetException(exception);
                return;
            }
        }
    }

    /// <summary>Clears the roll-ups the group changed, then answers its clients, so that a client reads its own write.</summary>
    private void Complete(Outcome outcome)
    {
        foreach (var code in outcome.Changed)
        {
            cache.Invalidate(code);
        }

        for (var i = 0; i < outcome.Writes.Count; i++)
        {
            if (outcome.Responses[i] is { } response)
            {
                outcome.Writes[i].Completion.TrySetResult(response);
            }
        }
    }

    private async Task<Outcome> TurnAsync(List<PreparedWrite> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        return await gate.RunAsync(() => DecideAsync(db, definitions, group, commit: true, CancellationToken.None), CancellationToken.None);
    }

    /// <summary>
    /// The turn: in one transaction, reads what the writes need (their operations' status, their Idempotency-Keys, the
    /// current returns they touch), decides each in order in memory, so that a later write sees an earlier one, and
    /// writes and commits the accepted ones with their audit entries and idempotency records. The rows are written with
    /// prepared commands (<see cref="RowWriter"/>), not SaveChanges, whose cost per row made a large batch hold the turn
    /// for seconds.
    /// </summary>
    private static async Task<Outcome> DecideAsync(
        LiberterraDbContext db, OperationDefinitions definitions, IReadOnlyList<PreparedWrite> group, bool commit, CancellationToken cancellationToken)
    {
        await using var transaction = commit ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

        var operations = (await db.OperationsForWriteAsync(group.Select(w => w.Code).Distinct().ToList(), cancellationToken))
            .ToDictionary(o => o.Id);
        var states = new Dictionary<int, ReturnState>();
        var writer = new ReturnWriter(db);
        foreach (var perOperation in group.Where(w => operations.ContainsKey(w.Operation.Id)).GroupBy(w => w.Operation.Id).OrderBy(g => g.Key))
        {
            var drafts = perOperation.SelectMany(w => w.Drafts).ToList();
            if (commit)
            {
                await db.LockCountriesAsync(perOperation.Key, drafts.Select(d => d.Country).Distinct().ToList(), cancellationToken);
            }

            states[perOperation.Key] = await writer.LoadAsync(perOperation.Key, perOperation.First().Operation.Rules.DataSet, drafts, cancellationToken);
        }

        // After the locks: a retry of the same request for the same country, committed by another writer while this one
        // waited for the country, is seen here and replayed rather than written again.
        var replays = await FindIdempotencyRecordsAsync(db, group, cancellationToken);

        var now = StoredTime.Now;
        var responses = new WriteResponse?[group.Count];
        var committed = new List<(PreparedWrite Write, StoredResponse Response)>();
        var idempotencyRecords = new List<IdempotencyRecord>();
        var changed = new Dictionary<int, HashSet<string>>();
        for (var i = 0; i < group.Count; i++)
        {
            var write = group[i];

            // A client that hung up while its write waited for the turn and its locks was never answered, so its write
            // is not made (the audit records a 499); one that hangs up after this may find its write made, as before.
            if (commit && write.Http.RequestAborted.IsCancellationRequested && write.Completion.TrySetCanceled(write.Http.RequestAborted))
            {
                continue;
            }

            if (!operations.TryGetValue(write.Operation.Id, out var operation))
            {
                responses[i] = ReturnProblems.OperationNotFound(write.Http, write.Code);
                continue;
            }

            if (write.IdempotencyKey is { } key && replays.TryGetValue((write.KeyId, key), out var previous))
            {
                responses[i] = Replay(write, previous);
                continue;
            }

            if (operation.Status == OperationStatus.Final)
            {
                responses[i] = RequestBody.Problem(write.Http, StatusCodes.Status409Conflict, "Operation is final",
                    $"'{write.Code}' is final and takes no more returns. An admin can reopen it.");
                continue;
            }

            // The write was checked against the data set this instance knew; an admin may have changed it since. The
            // operation's row, read in this turn, is the current one (on PostgreSQL a data set change waits for this turn).
            if (!DataSetJson.Same(operation.DataSet, write.Operation.Rules.DataSet))
            {
                definitions.Forget(write.Code);
                responses[i] = RequestBody.Problem(write.Http, StatusCodes.Status409Conflict, "Data set changed",
                    $"The data set of '{write.Code}' changed while this write was being checked. Nothing was written; send it again.");
                continue;
            }

            var decision = write.Decide(writer, states[operation.Id], now);
            responses[i] = decision.Response;
            if (decision.Committed is { } stored)
            {
                committed.Add((write, stored));
                if (write.IdempotencyKey is { } newKey)
                {
                    var record = Idempotency.Record(write.KeyId, newKey, write.RequestHash, stored, now);
                    idempotencyRecords.Add(record);
                    replays[(write.KeyId, newKey)] = record;
                }

                if (decision.ChangedCountries is { Count: > 0 } countries)
                {
                    (changed.TryGetValue(operation.Id, out var set) ? set : changed[operation.Id] = new HashSet<string>(StringComparer.Ordinal)).UnionWith(countries);
                }
            }
        }

        if (transaction is null || committed.Count == 0)
        {
            return new Outcome(group, responses, []);
        }

        foreach (var state in states.Values)
        {
            await writer.SaveAsync(state, cancellationToken);
        }

        await RowWriter.InsertAsync(db, committed.Select(c => WriteAudit.Entry(c.Write.Http, WriteAudit.Attempt(c.Write.Http), c.Response.StatusCode, now)).ToList(), cancellationToken);
        await RowWriter.InsertAsync(db, idempotencyRecords, cancellationToken);
        foreach (var (operationId, countries) in changed)
        {
            await db.MarkChangedAsync(operationId, countries, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var (write, _) in committed)
        {
            WriteAudit.Attempt(write.Http).Recorded = true;
        }

        return new Outcome(group, responses, changed.Keys.Select(id => operations[id].Code).ToList());
    }

    /// <summary>The stored first response to a reused Idempotency-Key when the request is the same, else a 422.</summary>
    private static WriteResponse Replay(PreparedWrite write, IdempotencyRecord previous)
    {
        if (previous.RequestHash == write.RequestHash)
        {
            WriteAudit.Attempt(write.Http).Outcome = "replayed";
            return Idempotency.Replay(previous);
        }

        return RequestBody.Problem(write.Http, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
            "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    }

    private static async Task<Dictionary<(long KeyId, string Key), IdempotencyRecord>> FindIdempotencyRecordsAsync(
        LiberterraDbContext db, IReadOnlyList<PreparedWrite> group, CancellationToken cancellationToken)
    {
        var keyed = group.Where(w => w.IdempotencyKey is not null).ToList();
        if (keyed.Count == 0)
        {
            return [];
        }

        // Candidates by either part; the pairs are matched in memory.
        var keyIds = keyed.Select(w => w.KeyId).Distinct().ToList();
        var keys = keyed.Select(w => w.IdempotencyKey!).Distinct().ToList();
        var records = await db.IdempotencyRecords.AsNoTracking()
            .Where(r => keyIds.Contains(r.ApiKeyId) && keys.Contains(r.IdempotencyKey))
            .ToListAsync(cancellationToken);
        return records.ToDictionary(r => (r.ApiKeyId, r.IdempotencyKey));
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(writers);
    }

    /// <summary>
    /// The writes decided, their responses in the same order (none for a write whose client hung up), and the codes of
    /// the operations whose figures changed.
    /// </summary>
    private sealed record Outcome(IReadOnlyList<PreparedWrite> Writes, WriteResponse?[] Responses, IReadOnlyList<string> Changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} writes could not be saved ({Error}); each is retried alone")]
    private static partial void GroupFailed(ILogger logger, int count, string error);
}
