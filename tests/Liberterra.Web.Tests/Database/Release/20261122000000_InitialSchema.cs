using Liberterra.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Liberterra.Web.Tests.Release;

/// <summary>
/// Written by hand: EF Core Design (and so `dotnet ef migrations add`) does not restore on the build machines.
/// Column types are left to the provider, so the same migrations serve SQLite and PostgreSQL; identity columns carry
/// both providers' annotations (see <see cref="Schema"/>).
/// MigratedSchemaTests proves, on each provider, that applying the migrations yields exactly the schema the model describes.
/// </summary>
[DbContext(typeof(LiberterraDbContext))]
[Migration("20261122000000_InitialSchema")]
public sealed class InitialSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "Countries",
            columns: table => new
            {
                Alpha3 = table.Column<string>(maxLength: 3, nullable: false),
                Alpha2 = table.Column<string>(maxLength: 2, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Region = table.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Countries", x => x.Alpha3));

        migrationBuilder.CreateTable(
            name: "Operations",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Code = table.Column<string>(maxLength: 64, nullable: false),
                Name = table.Column<string>(maxLength: 200, nullable: false),
                StartDate = table.Column<DateOnly>(nullable: false),
                EndDate = table.Column<DateOnly>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                AllocationNote = table.Column<string>(maxLength: 2000, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Operations", x => x.Id));

        migrationBuilder.CreateTable(
            name: "OperationParticipants",
            columns: table => new
            {
                OperationId = table.Column<int>(nullable: false),
                Country = table.Column<string>(maxLength: 3, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OperationParticipants", x => new { x.OperationId, x.Country });
                table.ForeignKey("FK_OperationParticipants_Countries_Country", x => x.Country, "Countries", "Alpha3", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_OperationParticipants_Operations_OperationId", x => x.OperationId, "Operations", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "PublishedFigures",
            columns: table => new
            {
                OperationId = table.Column<int>(nullable: false),
                Metric = table.Column<string>(maxLength: 64, nullable: false),
                Value = table.Column<long>(nullable: false),
                Qualifier = table.Column<string>(maxLength: 16, nullable: false),
                Source = table.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PublishedFigures", x => new { x.OperationId, x.Metric });
                table.ForeignKey("FK_PublishedFigures_Operations_OperationId", x => x.OperationId, "Operations", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Returns",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                OperationId = table.Column<int>(nullable: false),
                Country = table.Column<string>(maxLength: 3, nullable: false),
                Period = table.Column<string>(maxLength: 10, nullable: false),
                Notes = table.Column<string>(maxLength: 2000, nullable: true),
                Version = table.Column<int>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                IsIllustrative = table.Column<bool>(nullable: false),
                Arrests = table.Column<int>(nullable: true),
                ArrestsTraffickingSmuggling = table.Column<int>(nullable: true),
                InvestigationsOpened = table.Column<int>(nullable: true),
                IrregularMigrants = table.Column<int>(nullable: true),
                OfficersDeployed = table.Column<int>(nullable: true),
                VictimsMinors = table.Column<int>(nullable: true),
                VictimsSafeguarded = table.Column<int>(nullable: true),
                VictimsDomesticServitude = table.Column<int>(nullable: true),
                VictimsForcedCriminality = table.Column<int>(nullable: true),
                VictimsForcedLabour = table.Column<int>(nullable: true),
                VictimsOrganRemoval = table.Column<int>(nullable: true),
                VictimsOtherExploitation = table.Column<int>(nullable: true),
                VictimsSexual = table.Column<int>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Returns", x => x.Id);
                table.ForeignKey("FK_Returns_Countries_Country", x => x.Country, "Countries", "Alpha3", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_Returns_Operations_OperationId", x => x.OperationId, "Operations", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "ReturnVersions",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation(Schema.SqliteAutoincrement, true)
                    .Annotation(Schema.NpgsqlValueGeneration, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                ReturnId = table.Column<long>(nullable: false),
                Version = table.Column<int>(nullable: false),
                Notes = table.Column<string>(maxLength: 2000, nullable: true),
                SubmittedAt = table.Column<DateTime>(nullable: false),
                SubmittedBy = table.Column<string>(maxLength: 200, nullable: false),
                IsIllustrative = table.Column<bool>(nullable: false),
                Arrests = table.Column<int>(nullable: true),
                ArrestsTraffickingSmuggling = table.Column<int>(nullable: true),
                InvestigationsOpened = table.Column<int>(nullable: true),
                IrregularMigrants = table.Column<int>(nullable: true),
                OfficersDeployed = table.Column<int>(nullable: true),
                VictimsMinors = table.Column<int>(nullable: true),
                VictimsSafeguarded = table.Column<int>(nullable: true),
                VictimsDomesticServitude = table.Column<int>(nullable: true),
                VictimsForcedCriminality = table.Column<int>(nullable: true),
                VictimsForcedLabour = table.Column<int>(nullable: true),
                VictimsOrganRemoval = table.Column<int>(nullable: true),
                VictimsOtherExploitation = table.Column<int>(nullable: true),
                VictimsSexual = table.Column<int>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ReturnVersions", x => x.Id);
                table.ForeignKey("FK_ReturnVersions_Returns_ReturnId", x => x.ReturnId, "Returns", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("IX_Countries_Alpha2", "Countries", "Alpha2", unique: true);
        migrationBuilder.CreateIndex("IX_OperationParticipants_Country", "OperationParticipants", "Country");
        migrationBuilder.CreateIndex("IX_Operations_Code", "Operations", "Code", unique: true);
        migrationBuilder.CreateIndex("IX_Returns_Country", "Returns", "Country");
        migrationBuilder.CreateIndex("IX_Returns_OperationId_Country_Period", "Returns", ["OperationId", "Country", "Period"], unique: true);
        migrationBuilder.CreateIndex("IX_ReturnVersions_ReturnId_Version", "ReturnVersions", ["ReturnId", "Version"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("ReturnVersions");
        migrationBuilder.DropTable("Returns");
        migrationBuilder.DropTable("PublishedFigures");
        migrationBuilder.DropTable("OperationParticipants");
        migrationBuilder.DropTable("Operations");
        migrationBuilder.DropTable("Countries");
    }
}
