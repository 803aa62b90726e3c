using System.Data.Common;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// On the provider of the test run, the schema the migrations build must be exactly the schema EF Core would create from
/// the model itself (tables, columns, types, nullability, keys, autoincrement or identity, indexes and foreign keys).
/// `dotnet ef migrations has-pending-model-changes` (in test.sh) ties the model to the snapshot; this ties it to what the
/// migrations really do, which the first migrations, written by hand, are not tied to by anything else.
/// </summary>
public sealed class MigratedSchemaTests : IDisposable
{
    private readonly TestDatabase migrated = new();
    private readonly TestDatabase fromModel = new();

    [Fact]
    public async Task TheMigratedSchemaEqualsTheSchemaOfTheModel()
    {
        await using (var db = migrated.Context())
        {
            await DatabaseSetup.PrepareAsync(db, seedDirectory: null, NullLogger.Instance);
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        }

        await using (var db = fromModel.Context())
        {
            (await db.Database.EnsureCreatedAsync()).Should().BeTrue();
        }

        var migratedSchema = await DescribeAsync(migrated);
        var modelSchema = await DescribeAsync(fromModel);

        migratedSchema.Should().NotBeEmpty();
        migratedSchema.Except(modelSchema).Should().BeEmpty("the migrations build only what the model describes");
        modelSchema.Except(migratedSchema).Should().BeEmpty("the migrations build everything the model describes");
        migratedSchema.Should().Equal(modelSchema);
    }

    [SqliteOnlyFact("WAL and synchronous=FULL are SQLite settings; a PostgreSQL server commits durably by its own configuration.")]
    public async Task TheDatabaseRunsInWalModeWithFullSynchronousCommits()
    {
        await using var db = migrated.Context();
        await DatabaseSetup.PrepareAsync(db, seedDirectory: null, NullLogger.Instance);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        (await ScalarAsync(connection, "PRAGMA journal_mode;")).Should().Be("wal");
        (await ScalarAsync(connection, "PRAGMA synchronous;")).Should().Be("2", "2 is FULL: a commit reaches the disk before it is acknowledged");
    }

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A sorted, order-independent description of every application table (EF's own history table excluded).</summary>
    public static async Task<List<string>> DescribeAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var lines = database.SqlitePath is null ? await DescribePostgresAsync(connection) : await DescribeSqliteAsync(connection);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> DescribeSqliteAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await TestDatabase.QueryAsync(connection,
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%'",
            r => (Name: r.GetString(0), Sql: r.GetString(1)));
        foreach (var (table, sql) in tables)
        {
            lines.Add($"{table} autoincrement={sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");
            lines.AddRange(await TestDatabase.QueryAsync(connection, $"PRAGMA table_info('{table}')",
                r => $"{table}.{r.GetString(1)} type={r.GetString(2)} notnull={r.GetInt64(3)} pk={r.GetInt64(5)} default={(r.IsDBNull(4) ? "" : r.GetString(4))}"));
            lines.AddRange(await TestDatabase.QueryAsync(connection, $"PRAGMA foreign_key_list('{table}')",
                r => $"{table} fk {r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}"));
            var indexes = await TestDatabase.QueryAsync(connection, $"PRAGMA index_list('{table}')", r => (Name: r.GetString(1), Unique: r.GetInt64(2), Origin: r.GetString(3)));
            foreach (var index in indexes.Where(i => i.Origin == "c"))
            {
                var columns = await TestDatabase.QueryAsync(connection, $"PRAGMA index_info('{index.Name}')", r => r.GetString(2));
                lines.Add($"{table} index {index.Name} unique={index.Unique} ({string.Join(",", columns)})");
            }
        }

        return lines;
    }

    /// <summary>
    /// From pg_catalog: each column's exact type (varchar lengths included), NOT NULL, identity kind and default; every
    /// constraint by name and definition (primary keys, foreign keys with their ON DELETE); every index by name and
    /// definition (uniqueness, method, columns).
    /// </summary>
    private static async Task<List<string>> DescribePostgresAsync(DbConnection connection)
    {
        const string ApplicationTables = """
            c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname NOT LIKE '\_\_EF%'
            """;
        var lines = await TestDatabase.QueryAsync(connection, $"""
            SELECT c.relname || '.' || a.attname || ' type=' || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
                || ' identity=' || a.attidentity::text || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE {ApplicationTables} AND a.attnum > 0 AND NOT a.attisdropped
            """, r => r.GetString(0));
        lines.AddRange(await TestDatabase.QueryAsync(connection, $"""
            SELECT c.relname || ' constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            WHERE {ApplicationTables}
            """, r => r.GetString(0)));
        lines.AddRange(await TestDatabase.QueryAsync(connection, $"""
            SELECT c.relname || ' index ' || pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE {ApplicationTables}
            """, r => r.GetString(0)));
        return lines;
    }

    public void Dispose()
    {
        migrated.Dispose();
        fromModel.Dispose();
    }
}
