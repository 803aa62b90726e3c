using Liberterra.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Liberterra.Web.Tests.Release;

/// <summary>
/// A revision on each participant that every change to its returns raises, so that writes for different countries no
/// longer raise, and so queue on, one row of the operation. Existing rows start at 0: an operation's revision is the
/// sum of its own and its participants', so every existing operation keeps the revision it had.
/// </summary>
[DbContext(typeof(LiberterraDbContext))]
[Migration("20261204000000_ParticipantRevision")]
public sealed class ParticipantRevision : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<int>(name: "Revision", table: "OperationParticipants", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn(name: "Revision", table: "OperationParticipants");
    }
}
