using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liberterra.Data.Configurations;

internal sealed class ReturnConfiguration : IEntityTypeConfiguration<ReturnRecord>
{
    public void Configure(EntityTypeBuilder<ReturnRecord> builder)
    {
        builder.ToTable("Returns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Country).HasMaxLength(3);
        builder.Property(r => r.Period).HasConversion(ReturnPeriodColumn.Converter).HasMaxLength(ReturnPeriodColumn.MaxLength);
        builder.Property(r => r.Notes).HasMaxLength(ReturnValidator.MaxNotesLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        FiguresColumn.Configure(builder.Property(r => r.Values));

        // One current return per country and period: the database itself refuses a second copy.
        builder.HasIndex(r => new { r.OperationId, r.Country, r.Period }).IsUnique();
        builder.HasOne<OperationRecord>().WithMany().HasForeignKey(r => r.OperationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CountryRecord>().WithMany().HasForeignKey(r => r.Country).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReturnVersionConfiguration : IEntityTypeConfiguration<ReturnVersionRecord>
{
    public void Configure(EntityTypeBuilder<ReturnVersionRecord> builder)
    {
        builder.ToTable("ReturnVersions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Notes).HasMaxLength(ReturnValidator.MaxNotesLength);
        builder.Property(v => v.SubmittedBy).HasMaxLength(200);
        // Unbounded: a data set of 100 indicators with 50 options each can change thousands of fields at once.
        FiguresColumn.Configure(builder.Property(v => v.Values));
        builder.HasIndex(v => new { v.ReturnId, v.Version }).IsUnique();
        builder.HasOne<ReturnRecord>().WithMany(r => r.Versions).HasForeignKey(v => v.ReturnId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A return's figures as one JSON text column, "Figures", keyed by column name: any data set fits without a schema
/// change, and a read still loads one row per current return (docs/data-sets.md, "Storage").
/// </summary>
internal static class FiguresColumn
{
    private static readonly ValueConverter<ReturnValues, string> Converter = new(values => values.ToJson(), json => ReturnValues.FromJson(json));

    // ReturnValues is immutable and compares by content, so a snapshot is the same instance.
    private static readonly ValueComparer<ReturnValues> Comparer = new((a, b) => Equals(a, b), values => values.GetHashCode(), values => values);

    public static void Configure(PropertyBuilder<ReturnValues> property) =>
        property.HasColumnName("Figures").HasConversion(Converter, Comparer).IsRequired();
}

/// <summary>A period is stored as its key text, "yyyy-MM-dd" or "all", which keeps the unique index free of NULLs.</summary>
internal static class ReturnPeriodColumn
{
    public const int MaxLength = 10;

    public static readonly ValueConverter<ReturnPeriod, string> Converter =
        new(period => period.ToString(), text => ReturnPeriod.Parse(text));
}
