using Liberterra.Core.DataSets;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liberterra.Data.Configurations;

internal sealed class OperationConfiguration : IEntityTypeConfiguration<OperationRecord>
{
    public const int CodeMaxLength = 64;

    public void Configure(EntityTypeBuilder<OperationRecord> builder)
    {
        builder.ToTable("Operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Code).HasMaxLength(CodeMaxLength);
        builder.HasIndex(o => o.Code).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.AllocationNote).HasMaxLength(2000);

        // A data set is read and written whole, with its operation, so it is one JSON column rather than a table.
        builder.Property(o => o.DataSet).HasColumnName("DataSet").HasConversion(
            new ValueConverter<DataSet, string>(dataSet => DataSetJson.Serialize(dataSet), json => DataSetJson.Deserialize(json)),
            new ValueComparer<DataSet>((a, b) => ReferenceEquals(a, b), dataSet => dataSet.GetHashCode(), dataSet => dataSet));

        // The default is for the migration that added the column to existing rows; the model says so too, so the
        // migrated schema and the model's agree (MigratedSchemaTests).
        builder.Property(o => o.Revision).HasDefaultValue(0);
        builder.HasMany(o => o.Participants).WithOne().HasForeignKey(p => p.OperationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(o => o.PublishedFigures).WithOne().HasForeignKey(f => f.OperationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ParticipantConfiguration : IEntityTypeConfiguration<ParticipantRecord>
{
    public void Configure(EntityTypeBuilder<ParticipantRecord> builder)
    {
        builder.ToTable("OperationParticipants");
        builder.HasKey(p => new { p.OperationId, p.Country });
        builder.Property(p => p.Country).HasMaxLength(3);
        builder.Property(p => p.Revision).HasDefaultValue(0);
        builder.HasOne<CountryRecord>().WithMany().HasForeignKey(p => p.Country).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PublishedFigureConfiguration : IEntityTypeConfiguration<PublishedFigureRecord>
{
    public void Configure(EntityTypeBuilder<PublishedFigureRecord> builder)
    {
        builder.ToTable("PublishedFigures");
        builder.HasKey(f => new { f.OperationId, f.Metric });
        builder.Property(f => f.Metric).HasMaxLength(64);
        builder.Property(f => f.Qualifier).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Source).HasMaxLength(500);
    }
}
