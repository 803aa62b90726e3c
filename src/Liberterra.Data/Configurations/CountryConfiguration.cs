using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liberterra.Data.Configurations;

internal sealed class CountryConfiguration : IEntityTypeConfiguration<CountryRecord>
{
    public void Configure(EntityTypeBuilder<CountryRecord> builder)
    {
        builder.ToTable("Countries");
        builder.HasKey(c => c.Alpha3);
        builder.Property(c => c.Alpha3).HasMaxLength(3);
        builder.Property(c => c.Alpha2).HasMaxLength(2);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Region).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(c => c.Alpha2).IsUnique();
    }
}
