using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// The migrations are hand-written, so nothing but this test ties them to the model: the schema they build must be
/// exactly the schema EF Core would create from the model itself (tables, columns, types, nullability, keys,
/// autoincrement, indexes and foreign keys).
/// </summary>
public sealed class MigratedSchemaTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("liberterra-schema-");

    private LiberterraDbContext Context(string file)
    {
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Sqlite, $"Data Source={file}", directory.FullName);
        return new LiberterraDbContext(options.Options);
    }

    [Fact]
    public async Task TheMigratedSchemaEqualsTheSchemaOfTheModel()
    {
        await using (var migrated = Context("migrated.db"))
        {
            await DatabaseSetup.PrepareAsync(migrated, seedDirectory: null, NullLogger.Instance);
            (await migrated.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        }

        await using (var fromModel = Context("model.db"))
        {
            (await fromModel.Database.EnsureCreatedAsync()).Should().BeTrue();
        }

        var migratedSchema = await DescribeAsync(Path.Combine(directory.FullName, "migrated.db"));
        var modelSchema = await DescribeAsync(Path.Combine(directory.FullName, "model.db"));

        migratedSchema.Should().NotBeEmpty();
        migratedSchema.Should().Equal(modelSchema);
    }

    [Fact]
    public async Task TheDatabaseRunsInWalModeWithFullSynchronousCommits()
    {
        await using var db = Context("wal.db");
        await DatabaseSetup.PrepareAsync(db, seedDirectory: null, NullLogger.Instance);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        (await ScalarAsync(connection, "PRAGMA journal_mode;")).Should().Be("wal");
        (await ScalarAsync(connection, "PRAGMA synchronous;")).Should().Be("2", "2 is FULL: a commit reaches the disk before it is acknowledged");
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A sorted, order-independent description of every application table (EF's own history tables excluded).</summary>
    private static async Task<List<string>> DescribeAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await ReadAsync(connection,
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%'",
            r => (Name: r.GetString(0), Sql: r.GetString(1)));
        foreach (var (table, sql) in tables)
        {
            lines.Add($"{table} autoincrement={sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");
            lines.AddRange(await ReadAsync(connection, $"PRAGMA table_info('{table}')",
                r => $"{table}.{r.GetString(1)} type={r.GetString(2)} notnull={r.GetInt32(3)} pk={r.GetInt32(5)} default={(r.IsDBNull(4) ? "" : r.GetString(4))}"));
            lines.AddRange(await ReadAsync(connection, $"PRAGMA foreign_key_list('{table}')",
                r => $"{table} fk {r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}"));
            var indexes = await ReadAsync(connection, $"PRAGMA index_list('{table}')", r => (Name: r.GetString(1), Unique: r.GetInt32(2), Origin: r.GetString(3)));
            foreach (var index in indexes.Where(i => i.Origin == "c"))
            {
                var columns = await ReadAsync(connection, $"PRAGMA index_info('{index.Name}')", r => r.GetString(2));
                lines.Add($"{table} index {index.Name} unique={index.Unique} ({string.Join(",", columns)})");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<T>> ReadAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
