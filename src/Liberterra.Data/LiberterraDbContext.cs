using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liberterra.Data;

public sealed class LiberterraDbContext(DbContextOptions<LiberterraDbContext> options) : DbContext(options)
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
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LiberterraDbContext).Assembly);

    /// <summary>
    /// The operation a write goes to, read inside the write's transaction. On PostgreSQL its row stays locked until the
    /// transaction ends, so writes to one operation take turns there as every write does on SQLite (whose IMMEDIATE
    /// transaction holds the one write lock): a writer sees the previous one's return, version and idempotency record,
    /// a country cannot get both granularities, and a finalize waits for writes in flight rather than passing them.
    /// </summary>
    public Task<OperationRecord?> OperationForWriteAsync(string code, CancellationToken cancellationToken)
    {
        var operations = Database.IsNpgsql()
            ? Operations.FromSql($"""SELECT * FROM "Operations" WHERE "Code" = {code} FOR UPDATE""")
            : Operations.Where(o => o.Code == code);
        return operations.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Raises the operation's <see cref="OperationRecord.Revision"/> in the save that writes the change, so other instances
    /// learn of it. Pass the record <see cref="OperationForWriteAsync"/> returned, inside the same transaction: the row
    /// (PostgreSQL) or the whole database (SQLite) is locked there, so the revision read with it is still the current one.
    /// </summary>
    public void MarkChanged(OperationRecord operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Operations.Attach(operation);
        operation.Revision++;
    }

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
