using Liberterra.Core.DataSets;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Liberterra.Data.Migrations;

/// <summary>
/// The data of the DataSets migration, shared by both providers' migrations: each return's and version's thirteen
/// figure columns become one JSON object of the reported values (a NULL column becomes an absent key; 0 stays 0), and
/// every existing operation gets the trafficking-smuggling data set, which holds exactly those figures and more.
/// Only the SQL differs by provider; the column list comes from the template (<see cref="DataSetTemplates.LegacyColumns"/>).
/// </summary>
public static class DataSetsMigration
{
    public static readonly string[] Tables = ["Returns", "ReturnVersions"];

    /// <summary>Fills the new columns from the old ones; call it after adding the new columns and before dropping the old.</summary>
    public static void MoveFiguresToJson(MigrationBuilder migrationBuilder, bool postgres)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var pairs = string.Join(", ", DataSetTemplates.LegacyColumns.Select(c => $"'{c.Field}', \"{c.Column}\""));

        // SQLite: json_patch applies the object as a merge patch to {}, which drops its null members.
        var json = postgres ? $"jsonb_strip_nulls(jsonb_build_object({pairs}))::text" : $"json_patch('{{}}', json_object({pairs}))";
        foreach (var table in Tables)
        {
            migrationBuilder.Sql($"UPDATE \"{table}\" SET \"Figures\" = {json};");
        }

        var dataSet = DataSetJson.Serialize(DataSetTemplates.TraffickingSmuggling).Replace("'", "''", StringComparison.Ordinal);
        migrationBuilder.Sql($"UPDATE \"Operations\" SET \"DataSet\" = '{dataSet}';");
    }

    /// <summary>Down: fills the old columns back from the JSON; call it after adding them back and before dropping the new.</summary>
    public static void MoveFiguresToColumns(MigrationBuilder migrationBuilder, bool postgres)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in Tables)
        {
            var sets = string.Join(", ", DataSetTemplates.LegacyColumns.Select(c => postgres
                ? $"\"{c.Column}\" = (\"Figures\"::jsonb ->> '{c.Field}')::integer"
                : $"\"{c.Column}\" = json_extract(\"Figures\", '$.\"{c.Field}\"')"));
            migrationBuilder.Sql($"UPDATE \"{table}\" SET {sets};");
        }
    }
}
