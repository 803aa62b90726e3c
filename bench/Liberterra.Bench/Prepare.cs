using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Liberterra.Bench;

/// <summary>Migrates a database and loads the seed operations with the app's own code, so both benchmark databases start identical.</summary>
internal static class Prepare
{
    public static async Task RunAsync(BenchDatabase database, string seedDirectory)
    {
        if (!File.Exists(Path.Combine(seedDirectory, "operations.json")))
        {
            throw new BenchException($"{seedDirectory} has no operations.json.");
        }

        var db = database.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            await DatabaseSetup.PrepareAsync(db, seedDirectory, NullLogger.Instance).ConfigureAwait(false);
            var returns = await db.Returns.CountAsync().ConfigureAwait(false);
            var versions = await db.ReturnVersions.CountAsync().ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"prepared {database}: {returns} returns, {versions} return versions"));
        }
    }
}

/// <summary>
/// A database the bench tool works on, as named on its command line: a SQLite file, by path, or <c>postgres:</c>
/// followed by an Npgsql connection string naming the database (<c>prepare</c> creates it when absent, as the app's
/// migrations do). Contexts are configured exactly as the app configures its own (same provider, interceptor, pragmas).
/// </summary>
internal sealed class BenchDatabase
{
    public const string PostgresPrefix = "postgres:";

    private BenchDatabase(DatabaseProvider provider, string connectionString, string name, string? path)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
        SqlitePath = path;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The file name on SQLite, the database name on PostgreSQL: what the tool's output calls it.</summary>
    public string Name { get; }

    /// <summary>The database file on SQLite; null on PostgreSQL.</summary>
    public string? SqlitePath { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <param name="mustExist">SQLite would quietly create a missing file, and a benchmark of an empty database would be meaningless.</param>
    public static BenchDatabase Parse(string value, bool mustExist)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            var builder = new NpgsqlConnectionStringBuilder(value[PostgresPrefix.Length..]);
            if (string.IsNullOrEmpty(builder.Database))
            {
                throw new BenchException($"'{value}' names no database (Database=...).");
            }

            return new BenchDatabase(DatabaseProvider.Postgres, builder.ToString(), builder.Database, null);
        }

        var path = Path.GetFullPath(value);
        if (mustExist && !File.Exists(path))
        {
            throw new BenchException($"{path} does not exist; run 'prepare' first.");
        }

        return new BenchDatabase(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path }.ToString(), Path.GetFileName(path), path);
    }

    public LiberterraDbContext CreateContext() => new(Options());

    public DbContextOptions<LiberterraDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(builder, Provider, ConnectionString, SqlitePath is null ? AppContext.BaseDirectory : Path.GetDirectoryName(SqlitePath)!);
        return builder.Options;
    }

    public override string ToString() => SqlitePath ?? $"PostgreSQL database {Name}";
}
