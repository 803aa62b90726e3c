using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Liberterra.Bench;

/// <summary>
/// Appends amendments to the existing returns until ReturnVersions holds the requested number of rows, spread evenly
/// over every return of every operation, in one transaction with prepared commands. Each return's newest version
/// carries exactly its current figures and <c>Returns.Version</c>/<c>UpdatedAt</c> are moved to it, so the data stays
/// what the app itself would have written. Older versions differ from the current figures (arrests raised by 1 or 2
/// where reported), so a read that wrongly summed history would change the totals that aggregate-timing prints.
/// </summary>
internal static class FillHistory
{
    // The format EF Core's SQLite provider stores a DateTime in.
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private const string InsertVersion = """
        INSERT INTO ReturnVersions (
            ReturnId, Version, Notes, SubmittedAt, SubmittedBy, IsIllustrative,
            Arrests, ArrestsTraffickingSmuggling, InvestigationsOpened, IrregularMigrants, OfficersDeployed,
            VictimsMinors, VictimsSafeguarded, VictimsDomesticServitude, VictimsForcedCriminality, VictimsForcedLabour,
            VictimsOrganRemoval, VictimsOtherExploitation, VictimsSexual)
        SELECT
            Id, $version, $notes, $submittedAt, 'bench', IsIllustrative,
            Arrests + $arrestsDelta, ArrestsTraffickingSmuggling, InvestigationsOpened, IrregularMigrants, OfficersDeployed,
            VictimsMinors, VictimsSafeguarded, VictimsDomesticServitude, VictimsForcedCriminality, VictimsForcedLabour,
            VictimsOrganRemoval, VictimsOtherExploitation, VictimsSexual
        FROM Returns WHERE Id = $returnId
        """;

    public static void Run(string databasePath, int targetVersions)
    {
        var stopwatch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(Database.ConnectionString(databasePath)) { Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144;");

        var existing = Count(connection, "SELECT COUNT(*) FROM ReturnVersions");
        if (existing >= targetVersions)
        {
            Console.WriteLine(FormattableString.Invariant($"fill-history: {databasePath} already holds {existing} return versions; nothing to do"));
            return;
        }

        var returns = CurrentVersions(connection);
        if (returns.Count == 0)
        {
            throw new BenchException($"{databasePath} has no returns to amend; run 'prepare' first.");
        }

        var toAdd = targetVersions - existing;
        var perReturn = toAdd / returns.Count;
        var remainder = toAdd % returns.Count;
        var rounds = perReturn + (remainder > 0 ? 1 : 0);

        // Amendments go in round by round, as they would arrive over time: every return's k-th amendment, then the next.
        var clock = DateTime.UtcNow.AddSeconds(-toAdd);
        var latest = new (int Version, DateTime At)[returns.Count];
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = Prepared(connection, transaction, InsertVersion, "$returnId", "$version", "$notes", "$submittedAt", "$arrestsDelta");
            for (var round = 1; round <= rounds; round++)
            {
                for (var i = 0; i < returns.Count; i++)
                {
                    var amendments = perReturn + (i < remainder ? 1 : 0);
                    if (round > amendments)
                    {
                        continue;
                    }

                    var version = returns[i].Version + round;
                    clock = clock.AddSeconds(1);
                    insert.Parameters[0].Value = returns[i].Id;
                    insert.Parameters[1].Value = version;
                    insert.Parameters[2].Value = string.Create(CultureInfo.InvariantCulture, $"bench amendment {round} of {amendments}");
                    insert.Parameters[3].Value = clock.ToString(TimestampFormat, CultureInfo.InvariantCulture);
                    insert.Parameters[4].Value = round == amendments ? 0 : 1 + (round % 2);
                    if (insert.ExecuteNonQuery() != 1)
                    {
                        throw new BenchException($"return {returns[i].Id} vanished while filling.");
                    }

                    latest[i] = (version, clock);
                }
            }

            using var update = Prepared(connection, transaction, "UPDATE Returns SET Version = $version, UpdatedAt = $updatedAt WHERE Id = $returnId",
                "$returnId", "$version", "$updatedAt");
            for (var i = 0; i < returns.Count; i++)
            {
                if (latest[i].Version == 0)
                {
                    continue;
                }

                update.Parameters[0].Value = returns[i].Id;
                update.Parameters[1].Value = latest[i].Version;
                update.Parameters[2].Value = latest[i].At.ToString(TimestampFormat, CultureInfo.InvariantCulture);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var total = Count(connection, "SELECT COUNT(*) FROM ReturnVersions");
        var inconsistent = Count(connection, """
            SELECT COUNT(*) FROM Returns r
            WHERE r.Version <> (SELECT MAX(v.Version) FROM ReturnVersions v WHERE v.ReturnId = r.Id)
            """);
        if (total != targetVersions || inconsistent != 0)
        {
            throw new BenchException(FormattableString.Invariant(
                $"after filling, {total} return versions (wanted {targetVersions}) and {inconsistent} returns whose version is not their latest."));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"fill-history: {databasePath}: {existing} -> {total} return versions over {returns.Count} returns ({toAdd} appended) in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
    }

    private static List<(long Id, int Version)> CurrentVersions(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.Id, MAX(r.Version, COALESCE((SELECT MAX(v.Version) FROM ReturnVersions v WHERE v.ReturnId = r.Id), 0))
            FROM Returns r ORDER BY r.Id
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<(long, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt32(1)));
        }

        return rows;
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static int Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
