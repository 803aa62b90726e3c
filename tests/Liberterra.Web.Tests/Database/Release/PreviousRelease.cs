using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Liberterra.Web.Tests;

/// <summary>
/// A deployment of the previous release as that release's own app built it (<see cref="Deployment.BuildAsync"/>), one
/// per provider, frozen in the files of Database/Release: the SQLite database file, gzipped; a plain-SQL pg_dump of the
/// PostgreSQL database, gzipped; and, for each, what the release served (<see cref="Deployment"/>). Nothing of the
/// current model goes into them, so they stay the previous release's whatever this one changes. Release/README.md says
/// which commit built them and how to freeze the next release the same way.
/// </summary>
public sealed class PreviousRelease
{
    public const string RefreshVariable = "LIBERTERRA_REFRESH_RELEASE_FIXTURE";

    private PreviousRelease(string commit, Deployment deployment)
    {
        Commit = commit;
        Deployment = deployment;
    }

    /// <summary>The commit whose app built the database.</summary>
    public string Commit { get; }

    /// <summary>What the release served on that database, and the keys and cookie its clients held.</summary>
    public Deployment Deployment { get; }

    /// <summary>The source folder of the fixture files (Database/Release), which the generator writes to.</summary>
    private static string Folder => typeof(PreviousRelease).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ReleaseFixture").Value!;

    /// <summary>Puts the previous release's database into the empty <paramref name="database"/>, on its provider.</summary>
    public static async Task<PreviousRelease> RestoreAsync(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Engine == DatabaseProvider.Sqlite)
        {
            await using var source = new GZipStream(File.OpenRead(DatabasePath(database.Engine)), CompressionMode.Decompress);
            await using var target = File.Create(database.SqlitePath!);
            await source.CopyToAsync(target);
        }
        else
        {
            await RestorePostgresAsync(database);
        }

        await using var manifestFile = new GZipStream(File.OpenRead(ManifestPath(database.Engine)), CompressionMode.Decompress);
        using var manifest = await JsonDocument.ParseAsync(manifestFile);
        return new PreviousRelease(
            manifest.RootElement.GetProperty("commit").GetString()!,
            Deployment.FromJson(manifest.RootElement.GetProperty("deployment").GetRawText()));
    }

    /// <summary>
    /// The fixture's generator: builds a deployment with this code's app on the run's provider and writes it over the
    /// fixture files of that provider. Run on a release commit whose src/ and seed-data/ are committed.
    /// </summary>
    public static async Task FreezeAsync()
    {
        var commit = await ReleaseCommitAsync();
        using var database = new TestDatabase();
        Deployment deployment;
        using (var app = LiberterraApp.Production(database: database))
        {
            deployment = await Deployment.BuildAsync(app);
        }

        if (database.Engine == DatabaseProvider.Sqlite)
        {
            await FreezeSqliteAsync(database);
        }
        else
        {
            await FreezePostgresAsync(database);
        }

        var manifest = new Dictionary<string, object>
        {
            ["commit"] = commit,
            ["builtAt"] = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["deployment"] = JsonSerializer.Deserialize<JsonElement>(deployment.ToJson()),
        };
        await using var target = new GZipStream(File.Create(ManifestPath(database.Engine)), CompressionLevel.SmallestSize);
        await JsonSerializer.SerializeAsync(target, manifest, new JsonSerializerOptions { WriteIndented = true });
    }

    private static string DatabasePath(DatabaseProvider engine) =>
        Path.Combine(Folder, engine == DatabaseProvider.Sqlite ? "sqlite.db.gz" : "postgres.sql.gz");

    private static string ManifestPath(DatabaseProvider engine) =>
        Path.Combine(Folder, engine == DatabaseProvider.Sqlite ? "sqlite.deployment.json.gz" : "postgres.deployment.json.gz");

    /// <summary>
    /// Runs the dump through Npgsql, as psql would run it, into the empty database. psql's meta-commands (pg_dump writes
    /// \restrict and \unrestrict around the script since 15.14) are psql's, not SQL, so they are left out.
    /// </summary>
    private static async Task RestorePostgresAsync(TestDatabase database)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(DatabasePath(database.Engine)), CompressionMode.Decompress), Encoding.UTF8);
        var script = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("\\restrict ", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal))
            {
                script.Append(line).Append('\n');
            }
        }

        // Unpooled: the dump empties search_path for its session, which must not be handed to anyone else.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(script.ToString(), connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The file as the release left it once stopped, its write-ahead log folded in so one file holds it all.</summary>
    private static async Task FreezeSqliteAsync(TestDatabase database)
    {
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={database.SqlitePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        var wal = database.SqlitePath + "-wal";
        if (File.Exists(wal) && new FileInfo(wal).Length > 0)
        {
            throw new InvalidOperationException($"{wal} still holds writes after the checkpoint.");
        }

        await using var source = File.OpenRead(database.SqlitePath!);
        await using var target = new GZipStream(File.Create(DatabasePath(database.Engine)), CompressionLevel.SmallestSize);
        await source.CopyToAsync(target);
    }

    /// <summary>
    /// pg_dump's plain SQL: schema and data, rows as INSERTs (COPY's data is fed by psql, not SQL), no owners or grants,
    /// which belong to the server it came from.
    /// </summary>
    private static async Task FreezePostgresAsync(TestDatabase database)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(PgDump)
        {
            ArgumentList =
            {
                "--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--username", connection.Username!, "--dbname", connection.Database!,
                "--no-owner", "--no-privileges", "--rows-per-insert=1000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (connection.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        await using (var target = new GZipStream(File.Create(DatabasePath(database.Engine)), CompressionLevel.SmallestSize))
        {
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.BaseStream.CopyToAsync(target);
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {await errors}");
            }
        }
    }

    /// <summary>Debian's newest pg_dump, found as scripts/pg-cluster.sh finds the server, else the one on PATH.</summary>
    private static string PgDump =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(version => Path.Combine(version, "bin", "pg_dump"))
            .Where(File.Exists)
            .OrderBy(path => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : new Version(0, 0))
            .LastOrDefault() ?? "pg_dump";

    /// <summary>The commit being frozen; refused while the app or its seed has changes no commit holds.</summary>
    private static async Task<string> ReleaseCommitAsync()
    {
        var root = (await GitAsync("rev-parse", "--show-toplevel")).Trim();
        var changes = await GitAsync("-C", root, "status", "--porcelain", "--", "src", "seed-data", "Directory.Packages.props");
        if (changes.Length > 0)
        {
            throw new InvalidOperationException($"Commit the release first: the fixture must be built by a commit's app, and these differ from it:\n{changes}");
        }

        return (await GitAsync("-C", root, "rev-parse", "--short=7", "HEAD")).Trim();
    }

    private static async Task<string> GitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {errors}");
    }
}

/// <summary>The fixture's generator is a test, to build the deployment with the test harness; it runs only when asked.</summary>
public sealed class RefreshReleaseFixtureFactAttribute : FactAttribute
{
    public RefreshReleaseFixtureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(PreviousRelease.RefreshVariable) != "1")
        {
            Skip = $"Rewrites the previous-release fixture; run by scripts/freeze-release.sh ({PreviousRelease.RefreshVariable}=1).";
        }
    }
}

public sealed class ReleaseFixtureTests
{
    /// <summary>Writes this commit's deployment over the fixture of the run's provider: see Database/Release/README.md.</summary>
    [RefreshReleaseFixtureFact]
    public Task ThisReleaseIsFrozenForTheNextReleasesUpgradeTest() => PreviousRelease.FreezeAsync();
}
