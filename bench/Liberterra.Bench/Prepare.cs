using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Bench;

/// <summary>Migrates a database and loads the seed operations with the app's own code, so both benchmark databases start identical.</summary>
internal static class Prepare
{
    public static async Task RunAsync(string databasePath, string seedDirectory)
    {
        if (!File.Exists(Path.Combine(seedDirectory, "operations.json")))
        {
            throw new BenchException($"{seedDirectory} has no operations.json.");
        }

        var db = Database.CreateContext(databasePath);
        await using (db.ConfigureAwait(false))
        {
            await DatabaseSetup.PrepareAsync(db, seedDirectory, NullLogger.Instance).ConfigureAwait(false);
            var returns = await db.Returns.CountAsync().ConfigureAwait(false);
            var versions = await db.ReturnVersions.CountAsync().ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"prepared {databasePath}: {returns} returns, {versions} return versions"));
        }
    }
}

internal static class Database
{
    public static string ConnectionString(string databasePath) =>
        new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString();

    /// <summary>A context configured exactly as the app configures its own (same provider, interceptor and pragmas).</summary>
    public static LiberterraDbContext CreateContext(string databasePath) => new(Options(databasePath));

    public static DbContextOptions<LiberterraDbContext> Options(string databasePath)
    {
        var builder = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(builder, DatabaseProvider.Sqlite, ConnectionString(databasePath), Path.GetDirectoryName(databasePath)!);
        return builder.Options;
    }
}
