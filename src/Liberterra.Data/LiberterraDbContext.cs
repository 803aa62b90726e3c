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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LiberterraDbContext).Assembly);

    // Every timestamp is UTC. SQLite hands DateTime back with an unspecified kind; this restores it on the way out, and a
    // value of unspecified kind on the way in is taken as UTC too, never shifted as if it were local time.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
