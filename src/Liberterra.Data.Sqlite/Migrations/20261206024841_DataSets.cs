using Liberterra.Data.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liberterra.Data.Sqlite.Migrations
{
    /// <summary>Operations define what they collect: figures move from one column each into one JSON column (DataSetsMigration).</summary>
    public partial class DataSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Added first and filled from the old columns, which are dropped only then: nothing is lost.
            migrationBuilder.AddColumn<string>(
                name: "Figures",
                table: "Returns",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Figures",
                table: "ReturnVersions",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "DataSet",
                table: "Operations",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            DataSetsMigration.MoveFiguresToJson(migrationBuilder, postgres: false);

            migrationBuilder.DropColumn(
                name: "Arrests",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "ArrestsTraffickingSmuggling",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "InvestigationsOpened",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "IrregularMigrants",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "OfficersDeployed",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsDomesticServitude",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsForcedCriminality",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsForcedLabour",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsMinors",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsOrganRemoval",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsOtherExploitation",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsSafeguarded",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "VictimsSexual",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "Arrests",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "ArrestsTraffickingSmuggling",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "InvestigationsOpened",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "IrregularMigrants",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "OfficersDeployed",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsDomesticServitude",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsForcedCriminality",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsForcedLabour",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsMinors",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsOrganRemoval",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsOtherExploitation",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsSafeguarded",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "VictimsSexual",
                table: "ReturnVersions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Arrests",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ArrestsTraffickingSmuggling",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InvestigationsOpened",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IrregularMigrants",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OfficersDeployed",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsDomesticServitude",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsForcedCriminality",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsForcedLabour",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsMinors",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsOrganRemoval",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsOtherExploitation",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsSafeguarded",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsSexual",
                table: "Returns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Arrests",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ArrestsTraffickingSmuggling",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InvestigationsOpened",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IrregularMigrants",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OfficersDeployed",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsDomesticServitude",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsForcedCriminality",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsForcedLabour",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsMinors",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsOrganRemoval",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsOtherExploitation",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsSafeguarded",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VictimsSexual",
                table: "ReturnVersions",
                type: "INTEGER",
                nullable: true);

            DataSetsMigration.MoveFiguresToColumns(migrationBuilder, postgres: false);

            migrationBuilder.DropColumn(
                name: "Figures",
                table: "Returns");

            migrationBuilder.DropColumn(
                name: "Figures",
                table: "ReturnVersions");

            migrationBuilder.DropColumn(
                name: "DataSet",
                table: "Operations");
        }
    }
}
