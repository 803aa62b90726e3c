using System.Runtime.CompilerServices;
using Liberterra.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liberterra.Data;

/// <remarks>
/// Also ASP.NET Core Data Protection's key store (<see cref="IDataProtectionKeyContext"/>): every instance on the
/// database reads the same keys, so a sign-in cookie or an anti-forgery token made by one is accepted by all.
/// </remarks>
public sealed class LiberterraDbContext(DbContextOptions<LiberterraDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<CountryRecord> Countries => Set<CountryRecord>();
    public DbSet<OperationRecord> Operations => Set<OperationRecord>();
    public DbSet<ParticipantRecord> Participants => Set<ParticipantRecord>();
    public DbSet<PublishedFigureRecord> PublishedFigures => Set<PublishedFigureRecord>();
    public DbSet<ReturnRecord> Returns => Set<ReturnRecord>();
    public DbSet<ReturnVersionRecord> ReturnVersions => Set<ReturnVersionRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<AuditEntryRecord> AuditEntries => Set<AuditEntryRecord>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LiberterraDbContext).Assembly);

    /// <summary>
    /// The operations a write goes to, read inside the write's transaction. On PostgreSQL each row stays share-locked
    /// until the transaction ends: writes do not wait for each other on it, but a finalize or reopen (an UPDATE of the
    /// row) waits for the writes in flight, and a write that comes after it waits for it and then sees the new status.
    /// On SQLite the IMMEDIATE transaction holds the one write lock, which does the same and more.
    /// </summary>
    public Task<List<OperationRecord>> OperationsForWriteAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var array = codes.ToArray();
        var operations = Database.IsNpgsql()
            ? Operations.FromSql($"""SELECT * FROM "Operations" WHERE "Code" = ANY({array}) ORDER BY "Id" FOR SHARE""")
            : Operations.Where(o => array.Contains(o.Code));
        return operations.AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The operation, tracked, for a change to its data set; on PostgreSQL its row is locked until the transaction ends,
    /// so the change waits for the writes that hold it (<see cref="OperationsForWriteAsync"/>) and later writes wait for it.
    /// </summary>
    public Task<OperationRecord?> OperationForChangeAsync(string code, CancellationToken cancellationToken)
    {
        var operations = Database.IsNpgsql()
            ? Operations.FromSql($"""SELECT * FROM "Operations" WHERE "Code" = {code} FOR UPDATE""")
            : Operations.Where(o => o.Code == code);
        return operations.SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Whether any return of the operation, current or in its history, holds a value for the indicator (or, for a
    /// breakdown, any option of it). Figures are stored as JSON keyed by column name, and a code is an identifier, so the
    /// quoted key is matched as text (values are numbers, so only keys hold quotes). Reads the history, so its cost grows
    /// with it: admins change data sets rarely.
    /// </summary>
    public async Task<bool> HasDataAsync(int operationId, string indicator, CancellationToken cancellationToken)
    {
        // strpos and instr match case-sensitively, as codes are; SQLite's LIKE would not ("workersIdentified" and
        // "workersidentified" may both exist). Only the function's name differs between the two; the values stay parameters.
        var contains = Database.IsNpgsql() ? "strpos" : "instr";
        var query = FormattableStringFactory.Create($$"""
            SELECT 1 AS "Value" FROM "Returns" r
            WHERE r."OperationId" = {0}
              AND ({{contains}}(r."Figures", {1}) > 0 OR {{contains}}(r."Figures", {2}) > 0
                   OR EXISTS (SELECT 1 FROM "ReturnVersions" v WHERE v."ReturnId" = r."Id" AND ({{contains}}(v."Figures", {1}) > 0 OR {{contains}}(v."Figures", {2}) > 0)))
            """, operationId, $"\"{indicator}\"", $"\"{indicator}.");
        var found = await Database.SqlQuery<int>(query).Take(1).ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.Count > 0;
    }

    /// <summary>
    /// Locks, until the transaction ends, the write turn of each of these countries in the operation (their participant
    /// rows, in one order, so two writers cannot deadlock). Writes for one country take turns on PostgreSQL, so each sees
    /// the previous one's return, version and granularity, while writes for different countries run side by side.
    /// On SQLite this does nothing: its IMMEDIATE transaction already holds the one write lock.
    /// </summary>
    public async Task LockCountriesAsync(int operationId, IReadOnlyCollection<string> countries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countries);
        if (countries.Count == 0 || !Database.IsNpgsql())
        {
            return;
        }

        var array = countries.Order(StringComparer.Ordinal).ToArray();
        await Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "OperationParticipants" WHERE "OperationId" = {operationId} AND "Country" = ANY({array}) ORDER BY "Country" FOR UPDATE""",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Raises the <see cref="ParticipantRecord.Revision"/> of each country whose returns the write changed, in the write's
    /// transaction and under the lock <see cref="LockCountriesAsync"/> took, so other instances learn of the change
    /// (<see cref="OperationRevisions"/>) without every write to the operation queueing on one row.
    /// </summary>
    public Task MarkChangedAsync(int operationId, IReadOnlyCollection<string> countries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countries);
        var array = countries.ToArray();
        return Participants.Where(p => p.OperationId == operationId && array.Contains(p.Country))
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Revision, p => p.Revision + 1), cancellationToken);
    }

    /// <summary>
    /// Each operation's revision: its own (raised by status changes) plus its participants' (raised by every committed
    /// change to their returns). Every part only rises, so the sum rises with every committed change, whichever order
    /// concurrent transactions commit in.
    /// </summary>
    public IQueryable<OperationRevision> OperationRevisions() =>
        Operations.Select(o => new OperationRevision
        {
            Code = o.Code,
            Id = o.Id,
            Revision = o.Revision + Participants.Where(p => p.OperationId == o.Id).Sum(p => (long)p.Revision),
        });

    // Every timestamp is UTC. SQLite hands DateTime back with an unspecified kind; this restores it on the way out, and a
    // value of unspecified kind on the way in is taken as UTC too, never shifted as if it were local time (Npgsql refuses
    // those for timestamptz). Values are stored to the microsecond, PostgreSQL's precision, on both providers.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => StoredTime.Of(value),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>An operation's code, id and revision (see <see cref="LiberterraDbContext.OperationRevisions"/>).</summary>
/// <remarks>Settable members rather than a positional record, so that a query can still filter on them.</remarks>
public sealed class OperationRevision
{
    public required string Code { get; init; }
    public int Id { get; init; }
    public long Revision { get; init; }
}

/// <summary>Timestamps as the database keeps them: UTC, to the microsecond (PostgreSQL's timestamptz holds no finer).</summary>
public static class StoredTime
{
    /// <summary>The current time as it will be stored, for a value that is both saved and echoed back from memory.</summary>
    public static DateTime Now => Of(DateTime.UtcNow);

    public static DateTime Of(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
