using Liberterra.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liberterra.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Role).HasConversion<string>().HasMaxLength(32);
        builder.Property(k => k.Country).HasMaxLength(3);
        builder.Property(k => k.Label).HasMaxLength(200);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasOne<CountryRecord>().WithMany().HasForeignKey(k => k.Country).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntryRecord>
{
    public void Configure(EntityTypeBuilder<AuditEntryRecord> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.KeyLabel).HasMaxLength(AuditEntryRecord.LabelLength);
        builder.Property(a => a.Role).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Action).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Operation).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Country).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Period).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Outcome).HasMaxLength(AuditEntryRecord.ShortTextLength);
        builder.Property(a => a.Reason).HasMaxLength(AuditEntryRecord.ReasonLength);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Operation, a.Country });
    }
}

internal sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.IdempotencyKey).HasMaxLength(IdempotencyRecord.KeyLength);
        builder.Property(i => i.RequestHash).HasMaxLength(64);
        builder.Property(i => i.Location).HasMaxLength(400);
        builder.Property(i => i.ETag).HasMaxLength(64);
        builder.HasIndex(i => new { i.ApiKeyId, i.IdempotencyKey }).IsUnique();
        builder.HasOne<ApiKeyRecord>().WithMany().HasForeignKey(i => i.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<UserRecord>
{
    public void Configure(EntityTypeBuilder<UserRecord> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Email).HasMaxLength(UserRecord.EmailLength);
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(u => u.Email).IsUnique();
    }
}

/// <summary>
/// Data Protection's own entity, kept in the table and columns that the hand-written key store made before it
/// (migration DataProtectionKeys): the key manager's name for the element ("key-" and a GUID) and the element itself.
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(100);
        builder.Property(k => k.Xml).IsRequired();
    }
}
