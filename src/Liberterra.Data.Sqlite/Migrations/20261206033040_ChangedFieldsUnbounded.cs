using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liberterra.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ChangedFieldsUnbounded : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
