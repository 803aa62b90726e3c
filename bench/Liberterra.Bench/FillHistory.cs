using System.Diagnostics;
using System.Globalization;
using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Liberterra.Bench;

/// <summary>
/// Appends amendments to the existing returns until ReturnVersions holds the requested number of rows, spread evenly
/// over every return of every operation, in one transaction. Each return's newest version carries exactly its current
/// figures and <c>Returns.Version</c>/<c>UpdatedAt</c> are moved to it, so the data stays what the app itself would have
/// written. Older versions differ from the current figures (arrests raised by 1 or 2 where reported), so a read that
/// wrongly summed history would change the totals that aggregate-timing prints.
/// On SQLite each row is a prepared INSERT … SELECT (in-process, so a statement costs microseconds); on PostgreSQL a
/// statement is a round trip, so each round of amendments (one per return) is one INSERT … SELECT over unnest() of
/// parameter arrays, and the database is vacuumed and analysed afterwards, as autovacuum would do to an aged one.
/// </summary>
internal static class FillHistory
{
    // The format EF Core's SQLite provider stores a DateTime in.
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    // Figures are one JSON text column ("Figures", keyed by column name); an older version's arrests are raised where
    // reported, and the JSON is left untouched otherwise, so the newest version's text is exactly the return's.
    private const string InsertVersion = """
        INSERT INTO ReturnVersions (ReturnId, Version, Notes, SubmittedAt, SubmittedBy, IsIllustrative, Figures)
        SELECT
            Id, $version, $notes, $submittedAt, 'bench', IsIllustrative,
            CASE WHEN $arrestsDelta = 0 OR json_extract(Figures, '$.arrests') IS NULL THEN Figures
                 ELSE json_set(Figures, '$.arrests', json_extract(Figures, '$.arrests') + $arrestsDelta) END
        FROM Returns WHERE Id = $returnId
        """;

    private const string PostgresInsertRound = """
        INSERT INTO "ReturnVersions" ("ReturnId", "Version", "Notes", "SubmittedAt", "SubmittedBy", "IsIllustrative", "Figures")
        SELECT
            r."Id", p.version, p.notes, p.submitted_at, 'bench', r."IsIllustrative",
            CASE WHEN p.arrests_delta = 0 OR r."Figures"::jsonb -> 'arrests' IS NULL THEN r."Figures"
                 ELSE jsonb_set(r."Figures"::jsonb, '{arrests}', to_jsonb((r."Figures"::jsonb ->> 'arrests')::bigint + p.arrests_delta))::text END
        FROM unnest(@ids, @versions, @notes, @submitted_at, @arrests_delta) WITH ORDINALITY
            AS p(id, version, notes, submitted_at, arrests_delta, n)
        JOIN "Returns" r ON r."Id" = p.id
        ORDER BY p.n
        """;

    public static void Run(BenchDatabase database, int targetVersions)
    {
        ArgumentNullException.ThrowIfNull(database);
        var stopwatch = Stopwatch.StartNew();
        var (existing, total, appended, returns) = database.IsPostgres
            ? RunPostgres(database, targetVersions)
            : RunSqlite(database, targetVersions);
        if (appended == 0)
        {
            Console.WriteLine(FormattableString.Invariant($"fill-history: {database} already holds {existing} return versions; nothing to do"));
            return;
        }

        Console.WriteLine(FormattableString.Invariant(
            $"fill-history: {database}: {existing} -> {total} return versions over {returns} returns ({appended} appended) in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>One amendment: the <paramref name="Round"/>-th of <paramref name="Of"/> for the return at <paramref name="Index"/>.</summary>
    private readonly record struct Amendment(int Index, int Round, int Of, int Version, DateTime At)
    {
        public string Notes => string.Create(CultureInfo.InvariantCulture, $"bench amendment {Round} of {Of}");

        /// <summary>Zero on a return's newest version, so it carries the current figures; 1 or 2 on older ones.</summary>
        public int ArrestsDelta => Round == Of ? 0 : 1 + (Round % 2);
    }

    /// <summary>
    /// The amendments to add, round by round, as they would arrive over time: every return's k-th amendment, then the
    /// next, one second apart, ending now.
    /// </summary>
    private static IEnumerable<Amendment> Schedule(List<(long Id, int Version)> returns, int toAdd)
    {
        var perReturn = toAdd / returns.Count;
        var remainder = toAdd % returns.Count;
        var rounds = perReturn + (remainder > 0 ? 1 : 0);
        // Microseconds, as PostgreSQL stores them (SQLite's text keeps what it is given).
        var clock = StoredTime.Of(DateTime.UtcNow.AddSeconds(-toAdd));
        for (var round = 1; round <= rounds; round++)
        {
            for (var i = 0; i < returns.Count; i++)
            {
                var amendments = perReturn + (i < remainder ? 1 : 0);
                if (round > amendments)
                {
                    continue;
                }

                clock = clock.AddSeconds(1);
                yield return new Amendment(i, round, amendments, returns[i].Version + round, clock);
            }
        }
    }

    private static (int Existing, int Total, int Appended, int Returns) RunSqlite(BenchDatabase database, int targetVersions)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144;");

        var existing = Count(connection, "SELECT COUNT(*) FROM ReturnVersions");
        if (existing >= targetVersions)
        {
            return (existing, existing, 0, 0);
        }

        var returns = CurrentVersions(connection, """
            SELECT r.Id, MAX(r.Version, COALESCE((SELECT MAX(v.Version) FROM ReturnVersions v WHERE v.ReturnId = r.Id), 0))
            FROM Returns r ORDER BY r.Id
            """, database);
        var toAdd = targetVersions - existing;
        var latest = new (int Version, DateTime At)[returns.Count];
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = Prepared(connection, transaction, InsertVersion, "$returnId", "$version", "$notes", "$submittedAt", "$arrestsDelta");
            foreach (var amendment in Schedule(returns, toAdd))
            {
                insert.Parameters[0].Value = returns[amendment.Index].Id;
                insert.Parameters[1].Value = amendment.Version;
                insert.Parameters[2].Value = amendment.Notes;
                insert.Parameters[3].Value = amendment.At.ToString(TimestampFormat, CultureInfo.InvariantCulture);
                insert.Parameters[4].Value = amendment.ArrestsDelta;
                if (insert.ExecuteNonQuery() != 1)
                {
                    throw new BenchException($"return {returns[amendment.Index].Id} vanished while filling.");
                }

                latest[amendment.Index] = (amendment.Version, amendment.At);
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
        Check(total, targetVersions, inconsistent);
        return (existing, total, toAdd, returns.Count);
    }

    private static (int Existing, int Total, int Appended, int Returns) RunPostgres(BenchDatabase database, int targetVersions)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, CommandTimeout = 0 }.ToString());
        connection.Open();

        var existing = Count(connection, """SELECT COUNT(*) FROM "ReturnVersions" """);
        if (existing >= targetVersions)
        {
            return (existing, existing, 0, 0);
        }

        var returns = CurrentVersions(connection, """
            SELECT r."Id", GREATEST(r."Version", COALESCE((SELECT MAX(v."Version") FROM "ReturnVersions" v WHERE v."ReturnId" = r."Id"), 0))
            FROM "Returns" r ORDER BY r."Id"
            """, database);
        var toAdd = targetVersions - existing;
        var latest = new (int Version, DateTime At)[returns.Count];
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = new NpgsqlCommand(PostgresInsertRound, connection, transaction);
            var ids = insert.Parameters.Add("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint);
            var versions = insert.Parameters.Add("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer);
            var notes = insert.Parameters.Add("notes", NpgsqlDbType.Array | NpgsqlDbType.Text);
            var submittedAt = insert.Parameters.Add("submitted_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
            var arrestsDelta = insert.Parameters.Add("arrests_delta", NpgsqlDbType.Array | NpgsqlDbType.Integer);
            insert.Prepare();
            foreach (var round in Schedule(returns, toAdd).GroupBy(a => a.Round))
            {
                var batch = round.ToList();
                ids.Value = batch.Select(a => returns[a.Index].Id).ToArray();
                versions.Value = batch.Select(a => a.Version).ToArray();
                notes.Value = batch.Select(a => a.Notes).ToArray();
                submittedAt.Value = batch.Select(a => a.At).ToArray();
                arrestsDelta.Value = batch.Select(a => a.ArrestsDelta).ToArray();
                if (insert.ExecuteNonQuery() != batch.Count)
                {
                    throw new BenchException($"a return vanished while filling round {round.Key}.");
                }

                foreach (var amendment in batch)
                {
                    latest[amendment.Index] = (amendment.Version, amendment.At);
                }
            }

            var moved = Enumerable.Range(0, returns.Count).Where(i => latest[i].Version != 0).ToList();
            using var update = new NpgsqlCommand("""
                UPDATE "Returns" r SET "Version" = p.version, "UpdatedAt" = p.updated_at
                FROM unnest(@ids, @versions, @updated_at) AS p(id, version, updated_at)
                WHERE r."Id" = p.id
                """, connection, transaction);
            update.Parameters.Add("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint).Value = moved.Select(i => returns[i].Id).ToArray();
            update.Parameters.Add("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer).Value = moved.Select(i => latest[i].Version).ToArray();
            update.Parameters.Add("updated_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz).Value = moved.Select(i => latest[i].At).ToArray();
            update.ExecuteNonQuery();
            transaction.Commit();
        }

        Execute(connection, """VACUUM (ANALYZE) "ReturnVersions", "Returns" """);
        var total = Count(connection, """SELECT COUNT(*) FROM "ReturnVersions" """);
        var inconsistent = Count(connection, """
            SELECT COUNT(*) FROM "Returns" r
            WHERE r."Version" <> (SELECT MAX(v."Version") FROM "ReturnVersions" v WHERE v."ReturnId" = r."Id")
            """);
        Check(total, targetVersions, inconsistent);
        return (existing, total, toAdd, returns.Count);
    }

    private static void Check(int total, int targetVersions, int inconsistent)
    {
        if (total != targetVersions || inconsistent != 0)
        {
            throw new BenchException(FormattableString.Invariant(
                $"after filling, {total} return versions (wanted {targetVersions}) and {inconsistent} returns whose version is not their latest."));
        }
    }

    /// <summary>Each return's id and its newest version, whether the version row or the return says so.</summary>
    private static List<(long Id, int Version)> CurrentVersions(System.Data.Common.DbConnection connection, string sql, BenchDatabase database)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(long, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt32(1)));
        }

        return rows.Count > 0 ? rows : throw new BenchException($"{database} has no returns to amend; run 'prepare' first.");
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

    private static int Count(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
