using Liberterra.Data.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liberterra.Data;

/// <summary>
/// The storage engines the app can run on, chosen by <c>Database:Provider</c>: SQLite (a file, the default) or PostgreSQL
/// (a server, through Npgsql). Both run the same code; each has its own migrations, made by <c>dotnet ef</c> in its own
/// project (<see cref="DatabaseSetup.MigrationsAssembly"/>). The tests run against each.
/// </summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Choosing and preparing the database: connection options, migrations and seed data.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// Configures EF Core for the chosen provider. A relative SQLite path is resolved against <paramref name="dataRoot"/>;
    /// a PostgreSQL connection string is passed to Npgsql as it is.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ResolveSqlitePath(connectionString, dataRoot), sqlite => sqlite.MigrationsAssembly(MigrationsAssembly(provider)))
                    .AddInterceptors(new SqliteDurability());
                break;
            case DatabaseProvider.Postgres:
                // PostgreSQL commits durably by default (fsync, synchronous_commit=on), so it needs no interceptor.
                options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly(provider)));
                break;
            default:
                throw UnknownProvider(provider);
        }
    }

    /// <summary>
    /// The assembly holding a provider's migrations and model snapshot. Each provider has its own set, made by
    /// <c>dotnet ef migrations add</c> in that project (docs/operations.md, "Adding a migration"), because a migration
    /// carries provider-specific column types and annotations. An app that migrates must reference both projects.
    /// </summary>
    public static string MigrationsAssembly(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "Liberterra.Data.Sqlite",
        DatabaseProvider.Postgres => "Liberterra.Data.Postgres",
        _ => throw UnknownProvider(provider),
    };

    // Only an enum value outside the two names reaches these: the settings check refuses a bad name at start-up.
    private static NotSupportedException UnknownProvider(DatabaseProvider provider) =>
        new($"Database:Provider '{provider}' is not known; use 'Sqlite' or 'Postgres'.");

    /// <summary>Makes a relative "Data Source" absolute under the data root and creates its folder.</summary>
    public static string ResolveSqlitePath(string connectionString, string dataRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource.Length > 0 && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource, dataRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        return builder.ToString();
    }

    /// <summary>Applies the migrations, switches SQLite to WAL (PostgreSQL has no such switch), and loads any seed operation that is absent.</summary>
    public static async Task PrepareAsync(LiberterraDbContext db, string? seedDirectory, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (seedDirectory is not null)
        {
            await new SeedLoader(db, logger).SeedAsync(seedDirectory, cancellationToken).ConfigureAwait(false);
        }
    }
}
