using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        builder.ComplexProperty(r => r.Metrics, MetricColumns.Configure);

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
        builder.Property(v => v.ChangedFields).HasMaxLength(1000);
        builder.ComplexProperty(v => v.Metrics, MetricColumns.Configure);
        builder.HasIndex(v => new { v.ReturnId, v.Version }).IsUnique();
        builder.HasOne<ReturnRecord>().WithMany(r => r.Versions).HasForeignKey(v => v.ReturnId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The same plain column names for a return's figures wherever they are stored.</summary>
internal static class MetricColumns
{
    public static void Configure(ComplexPropertyBuilder<ReturnMetrics> metrics)
    {
        metrics.IsRequired();
        metrics.Property(m => m.Arrests).HasColumnName("Arrests");
        metrics.Property(m => m.ArrestsTraffickingSmuggling).HasColumnName("ArrestsTraffickingSmuggling");
        metrics.Property(m => m.VictimsSafeguarded).HasColumnName("VictimsSafeguarded");
        metrics.Property(m => m.VictimsMinors).HasColumnName("VictimsMinors");
        metrics.Property(m => m.IrregularMigrants).HasColumnName("IrregularMigrants");
        metrics.Property(m => m.InvestigationsOpened).HasColumnName("InvestigationsOpened");
        metrics.Property(m => m.OfficersDeployed).HasColumnName("OfficersDeployed");
        metrics.ComplexProperty(m => m.VictimsByExploitation, exploitation =>
        {
            exploitation.IsRequired();
            exploitation.Property(e => e.Sexual).HasColumnName("VictimsSexual");
            exploitation.Property(e => e.ForcedLabour).HasColumnName("VictimsForcedLabour");
            exploitation.Property(e => e.ForcedCriminality).HasColumnName("VictimsForcedCriminality");
            exploitation.Property(e => e.DomesticServitude).HasColumnName("VictimsDomesticServitude");
            exploitation.Property(e => e.OrganRemoval).HasColumnName("VictimsOrganRemoval");
            exploitation.Property(e => e.Other).HasColumnName("VictimsOtherExploitation");
        });
    }
}

/// <summary>A period is stored as its key text, "yyyy-MM-dd" or "all", which keeps the unique index free of NULLs.</summary>
internal static class ReturnPeriodColumn
{
    public const int MaxLength = 10;

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<ReturnPeriod, string> Converter =
        new(period => period.ToString(), text => ReturnPeriod.Parse(text));
}
