using Liberterra.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Liberterra.Web.Tests.Release;

/// <summary>A revision on each operation that every change to its returns or status raises, for other instances to poll.</summary>
[DbContext(typeof(LiberterraDbContext))]
[Migration("20261122060100_OperationRevision")]
public sealed class OperationRevision : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<int>(name: "Revision", table: "Operations", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn(name: "Revision", table: "Operations");
    }
}
