using Liberterra.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Liberterra.Web.Tests.Release;

/// <summary>API keys, the audit log of write attempts, idempotency records, and who sent each return version.</summary>
[DbContext(typeof(LiberterraDbContext))]
[Migration("20261122020000_WriteApi")]
public sealed class WriteApi : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "ApiKeys",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Role = table.Column<string>(maxLength: 32, nullable: false),
                Country = table.Column<string>(maxLength: 3, nullable: true),
                Label = table.Column<string>(maxLength: 200, nullable: false),
                KeyHash = table.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                LastUsedAt = table.Column<DateTime>(nullable: true),
                RevokedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ApiKeys", x => x.Id);
                table.ForeignKey("FK_ApiKeys_Countries_Country", x => x.Country, "Countries", "Alpha3", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "AuditEntries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                At = table.Column<DateTime>(nullable: false),
                KeyId = table.Column<long>(nullable: true),
                KeyLabel = table.Column<string>(maxLength: 200, nullable: true),
                Role = table.Column<string>(maxLength: 64, nullable: true),
                Action = table.Column<string>(maxLength: 64, nullable: false),
                Operation = table.Column<string>(maxLength: 64, nullable: true),
                Country = table.Column<string>(maxLength: 64, nullable: true),
                Period = table.Column<string>(maxLength: 64, nullable: true),
                Outcome = table.Column<string>(maxLength: 64, nullable: false),
                StatusCode = table.Column<int>(nullable: false),
                Reason = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_AuditEntries", x => x.Id));

        migrationBuilder.CreateTable(
            name: "IdempotencyRecords",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ApiKeyId = table.Column<long>(nullable: false),
                IdempotencyKey = table.Column<string>(maxLength: 200, nullable: false),
                RequestHash = table.Column<string>(maxLength: 64, nullable: false),
                StatusCode = table.Column<int>(nullable: false),
                ResponseBody = table.Column<string>(nullable: false),
                Location = table.Column<string>(maxLength: 400, nullable: true),
                ETag = table.Column<string>(maxLength: 64, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_IdempotencyRecords", x => x.Id);
                table.ForeignKey("FK_IdempotencyRecords_ApiKeys_ApiKeyId", x => x.ApiKeyId, "ApiKeys", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.AddColumn<long>(name: "SubmittedByKeyId", table: "ReturnVersions", nullable: true);
        migrationBuilder.AddColumn<string>(name: "ChangedFields", table: "ReturnVersions", maxLength: 1000, nullable: true);

        migrationBuilder.CreateIndex("IX_ApiKeys_Country", "ApiKeys", "Country");
        migrationBuilder.CreateIndex("IX_ApiKeys_KeyHash", "ApiKeys", "KeyHash", unique: true);
        migrationBuilder.CreateIndex("IX_AuditEntries_At", "AuditEntries", "At");
        migrationBuilder.CreateIndex("IX_AuditEntries_Operation_Country", "AuditEntries", ["Operation", "Country"]);
        migrationBuilder.CreateIndex("IX_IdempotencyRecords_ApiKeyId_IdempotencyKey", "IdempotencyRecords", ["ApiKeyId", "IdempotencyKey"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn(name: "ChangedFields", table: "ReturnVersions");
        migrationBuilder.DropColumn(name: "SubmittedByKeyId", table: "ReturnVersions");
        migrationBuilder.DropTable("IdempotencyRecords");
        migrationBuilder.DropTable("AuditEntries");
        migrationBuilder.DropTable("ApiKeys");
    }
}
