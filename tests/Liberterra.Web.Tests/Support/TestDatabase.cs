using System.Data.Common;
using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Liberterra.Web.Tests;

/// <summary>
/// A new, empty database for one app or test, on the provider of this test run. SQLite (a file in a temporary folder)
/// by default; when LIBERTERRA_TEST_POSTGRES holds an admin connection string, a database with a unique name on that
/// PostgreSQL server. Disposing it deletes the file or drops the database. test.sh runs the suite once on each.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "LIBERTERRA_TEST_POSTGRES";

    private static readonly string? PostgresAdmin = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } admin ? admin : null;

    private readonly string? directory;
    private readonly string? postgresName;

    public TestDatabase()
        : this(Provider)
    {
    }

    /// <summary>A database on the given provider whatever this run's is, e.g. a SQLite source to copy to PostgreSQL.</summary>
    public TestDatabase(DatabaseProvider engine)
    {
        Engine = engine;
        if (engine == DatabaseProvider.Sqlite)
        {
            directory = Directory.CreateTempSubdirectory("liberterra-test-").FullName;
            SqlitePath = Path.Combine(directory, "liberterra.db");
            ConnectionString = $"Data Source={SqlitePath}";
            return;
        }

        if (PostgresAdmin is null)
        {
            throw new InvalidOperationException($"A PostgreSQL test database needs {PostgresVariable}: an admin connection string (test.sh sets it).");
        }

        postgresName = $"liberterra_test_{Guid.NewGuid():N}";
        AdminCommand($"CREATE DATABASE \"{postgresName}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = postgresName }.ToString();
    }

    /// <summary>This test run's provider: PostgreSQL when LIBERTERRA_TEST_POSTGRES is set, SQLite otherwise.</summary>
    public static DatabaseProvider Provider => PostgresAdmin is null ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;

    /// <summary>This database's provider: the run's, unless the constructor was given another.</summary>
    public DatabaseProvider Engine { get; }

    public string ConnectionString { get; }

    /// <summary>The database file on SQLite; null on PostgreSQL, whose files belong to the server.</summary>
    public string? SqlitePath { get; }

    /// <summary>The configuration that points the app, or its executable, at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database:Provider"] = Engine.ToString(),
        ["ConnectionStrings:Liberterra"] = ConnectionString,
    };

    /// <summary>A context on this database, configured as the app configures its own.</summary>
    public LiberterraDbContext Context()
    {
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, Engine, ConnectionString, AppContext.BaseDirectory);
        return new LiberterraDbContext(options.Options);
    }

    /// <summary>An open, unpooled connection for looking at the database behind the app's back.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = SqlitePath is null
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection($"Data Source={SqlitePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every table in the database, EF's migration history included.</summary>
    public async Task<List<string>> TablesAsync()
    {
        await using var connection = await OpenAsync();
        return await QueryAsync(connection, SqlitePath is null
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'", row => row.GetString(0));
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(read);
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
        if (postgresName is not null)
        {
            // FORCE ends the connections the app's pool still holds; they are never used again.
            AdminCommand($"DROP DATABASE IF EXISTS \"{postgresName}\" WITH (FORCE)");
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory!, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background task; the OS temp cleaner will take it.
        }
    }

    private static void AdminCommand(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresAdmin) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>A test of something only SQLite has (a file, WAL, pragmas); on the PostgreSQL pass it is reported as skipped, with why.</summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        if (TestDatabase.Provider != DatabaseProvider.Sqlite)
        {
            Skip = $"SQLite only: {why}";
        }
    }
}

/// <summary>A test that needs PostgreSQL, which only test.sh's PostgreSQL pass (LIBERTERRA_TEST_POSTGRES) provides; on the SQLite pass it is reported as skipped, with why.</summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute(string why)
    {
        if (TestDatabase.Provider != DatabaseProvider.Postgres)
        {
            Skip = $"PostgreSQL only, run by './test.sh postgres' ({TestDatabase.PostgresVariable}): {why}";
        }
    }
}
