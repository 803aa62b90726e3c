using System.Data.Common;
using System.Globalization;
using Liberterra.Data;
using Liberterra.Web.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Liberterra.Web.Cli;

/// <summary>
/// `copy-database`: copies everything in the app's configured database (the source) into a new, empty one, to move a
/// deployment from SQLite to PostgreSQL (docs/operations.md, "Moving from SQLite to PostgreSQL"). Run by the app's own
/// executable with the server's configuration, so the source is exactly the database the server uses. The source is
/// only read: Program.cs does not migrate or seed it for this command, and a SQLite source is opened read-only.
/// The per-table summary goes to stdout; progress and errors to stderr.
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-database";
    public const int DefaultBatchSize = 1000;

    private const string Usage = """
        usage:
          copy-database --to-provider Postgres|Sqlite --to "<connection string>" [--batch-size 1000]
              Copies every table of the configured database (Database:Provider, ConnectionStrings:Liberterra), which is
              only read, into the target: an empty database, which is migrated first. Stop writes to the source first.
        """;

    public static bool Matches(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var targetProvider, out var targetConnection, out var batchSize))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        // The server's own settings, checked at start-up like the server's.
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var sourceProvider = services.GetRequiredService<IOptions<DatabaseSettings>>().Value.Provider;
        var sourceConnection = services.GetRequiredService<IOptions<ConnectionStringsSettings>>().Value.For(sourceProvider);

        if (sourceProvider == DatabaseProvider.Sqlite)
        {
            // Read-only: a missing file is an error rather than a new empty database, and nothing can write to it.
            var sqlite = new SqliteConnectionStringBuilder(sourceConnection);
            sqlite.DataSource = Path.GetFullPath(sqlite.DataSource, contentRoot);
            if (!File.Exists(sqlite.DataSource))
            {
                await error.WriteLineAsync($"There is no source database at {sqlite.DataSource}; check ConnectionStrings:Liberterra.");
                return 1;
            }

            sqlite.Mode = SqliteOpenMode.ReadOnly;
            sourceConnection = sqlite.ToString();
        }

        string sourceName, targetName;
        try
        {
            sourceName = Describe(sourceProvider, sourceConnection, contentRoot);
            targetName = Describe(targetProvider, targetConnection, contentRoot);
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync($"A connection string is not valid: {exception.Message}");
            return 2;
        }

        if (sourceProvider == targetProvider && sourceName == targetName)
        {
            await error.WriteLineAsync($"The target is the source ({sourceName}); give --to a new, empty database.");
            return 2;
        }

        await using var source = NewContext(sourceProvider, sourceConnection, contentRoot);
        await using var target = NewContext(targetProvider, targetConnection, contentRoot);
        try
        {
            var tables = DatabaseCopy.TablesInOrder(source.Model);
            await error.WriteLineAsync($"Copying {sourceProvider} {sourceName} to {targetProvider} {targetName}.");

            var (missing, unknown) = await DatabaseCopy.MigrationGapAsync(source);
            if (missing.Count > 0 || unknown.Count > 0)
            {
                await error.WriteLineAsync(missing.Count > 0
                    ? $"The source lacks migrations this version applies ({string.Join(", ", missing)}). Start this version of the app on it once, "
                        + "so that it migrates, stop it, and copy again. Nothing was written."
                    : $"The source has migrations this version does not know ({string.Join(", ", unknown)}): a newer version wrote it. "
                        + "Copy with that version. Nothing was written.");
                return 1;
            }

            var occupied = await DatabaseCopy.TablesWithRowsAsync(target, tables);
            if (occupied.Count > 0)
            {
                await error.WriteLineAsync(
                    $"The target already holds data ({string.Join(", ", occupied.Select(t => $"{t.Table}: {t.TargetRows} rows"))}). "
                    + "copy-database only fills an empty database, so that nothing in it is overwritten or mixed with the copy. "
                    + "Create a new, empty database for --to (or drop and recreate this one, if what it holds is not needed) and run again. "
                    + "Nothing was written.");
                return 1;
            }

            // The same migrations as the app's start-up; no seed, since every seeded row comes from the source.
            await error.WriteLineAsync("Migrating the target...");
            await DatabaseSetup.PrepareAsync(target, seedDirectory: null, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CopyDatabaseCommand)));

            await error.WriteLineAsync("Copying, in one transaction on the target:");
            var copied = await DatabaseCopy.CopyAsync(source, target, tables, batchSize, error);

            var width = copied.Select(c => c.Table.Length).Append("total".Length).Max();
            await output.WriteLineAsync($"{"table".PadRight(width)}  {"source",10}  {"target",10}");
            foreach (var (table, sourceRows, targetRows) in copied)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{table.PadRight(width)}  {sourceRows,10}  {targetRows,10}"));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{"total".PadRight(width)}  {copied.Sum(c => c.SourceRows),10}  {copied.Sum(c => c.TargetRows),10}"));
            await error.WriteLineAsync($"Done: every table's row count matches. Point the app at {targetProvider} {targetName} to use the copy.");
            return 0;
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or TimeoutException)
        {
            await error.WriteLineAsync($"copy-database failed: {exception.Message}");
            await error.WriteLineAsync("No rows were committed to the target (it may now hold empty tables, which a new run accepts), and the source was only read.");
            return 1;
        }
    }

    private static bool TryParse(string[] args, out DatabaseProvider provider, out string connection, out int batchSize)
    {
        provider = default;
        connection = string.Empty;
        batchSize = DefaultBatchSize;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (args.Length % 2 == 0 || values.Count != (args.Length - 1) / 2 || values.Keys.Any(k => k is not ("--to-provider" or "--to" or "--batch-size")))
        {
            return false;
        }

        var name = Enum.GetNames<DatabaseProvider>().FirstOrDefault(n => n.Equals(values.GetValueOrDefault("--to-provider"), StringComparison.OrdinalIgnoreCase));
        connection = values.GetValueOrDefault("--to") ?? string.Empty;
        var batchSizeValid = !values.TryGetValue("--batch-size", out var batch)
            || (int.TryParse(batch, NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) && batchSize > 0);
        return name is not null && Enum.TryParse(name, out provider) && connection.Trim().Length > 0 && batchSizeValid;
    }

    private static LiberterraDbContext NewContext(DatabaseProvider provider, string connectionString, string contentRoot)
    {
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, provider, connectionString, contentRoot);
        return new LiberterraDbContext(options.Options);
    }

    // Where a database is, never its password: these lines end up in terminals and logs.
    private static string Describe(DatabaseProvider provider, string connectionString, string contentRoot)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource, contentRoot);
        }

        var postgres = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"database '{postgres.Database}' on {postgres.Host}:{postgres.Port}");
    }
}
