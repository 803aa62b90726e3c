using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Liberterra.Data;

/// <summary>One table's rows as counted in the source and, after the copy, in the target.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows);

/// <summary>
/// Copies every row of one Liberterra database into another, empty one, keeping every primary key, so that versions,
/// idempotency records, audit entries and keys keep pointing at each other. The engine behind `copy-database`, which
/// moves a deployment from SQLite to PostgreSQL.
/// <para>
/// The tables come from the EF model, ordered by their foreign keys, so a table added to the model is copied without
/// a change here. Rows go through EF (read with AsNoTracking, inserted with explicit keys), so each provider's value
/// conversions apply: SQLite's text timestamps arrive as PostgreSQL timestamptz, and so on.
/// </para>
/// </summary>
public static class DatabaseCopy
{
    private static readonly MethodInfo ReadBatchMethod =
        typeof(DatabaseCopy).GetMethod(nameof(ReadBatchAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// The model's tables, each after every table its foreign keys point at. Throws for anything a table-by-table
    /// copy in that order would get wrong: a type without a table of its own or a key, or a cycle of foreign keys
    /// (a table that refers to itself included), whose rows would need an order found row by row.
    /// </summary>
    public static IReadOnlyList<IEntityType> TablesInOrder(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var types = model.GetEntityTypes().ToList();
        var unsupported = types
            .Select(t => (Type: t, Why: t switch
            {
                _ when t.GetTableName() is null => "is not mapped to a table",
                _ when t.FindPrimaryKey() is null => "has no primary key",
                _ when t.IsOwned() || t.HasSharedClrType => "is owned or shares its CLR type",
                _ when t.BaseType is not null || t.GetDerivedTypes().Any() => "is part of an inheritance hierarchy",
                _ when types.Any(o => o != t && o.GetTableName() == t.GetTableName() && o.GetSchema() == t.GetSchema()) => "shares its table",
                _ => null,
            }))
            .Where(u => u.Why is not null)
            .Select(u => $"{u.Type.DisplayName()} {u.Why}")
            .ToList();
        if (unsupported.Count > 0)
        {
            throw new InvalidOperationException(
                $"copy-database cannot copy {string.Join("; ", unsupported)}. Teach DatabaseCopy how before copying.");
        }

        // Kahn's algorithm; among the tables that are ready, alphabetical, so the order (and the summary) is stable.
        var ordered = new List<IEntityType>();
        var left = types.ToHashSet();
        while (left.Count > 0)
        {
            var ready = left
                .Where(t => t.GetForeignKeys().All(fk => !left.Contains(fk.PrincipalEntityType)))
                .OrderBy(t => t.GetTableName(), StringComparer.Ordinal)
                .ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException(
                    "copy-database cannot order these tables by their foreign keys, which form a cycle (or refer to their own table): "
                    + string.Join(", ", left.Select(t => t.GetTableName()).Order(StringComparer.Ordinal))
                    + ". Such rows need an order found row by row; teach DatabaseCopy how before copying.");
            }

            ordered.AddRange(ready);
            left.ExceptWith(ready);
        }

        return ordered;
    }

    /// <summary>
    /// Migrations this code applies that the database lacks, and migrations the database has that this code does not
    /// know (it was written by a newer version). Reads only: nothing is created.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Missing, IReadOnlyList<string> Unknown)> MigrationGapAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var known = db.GetService<IMigrationsAssembly>().Migrations.Keys.ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        return (known.Except(applied).ToList(), applied.Except(known).ToList());
    }

    /// <summary>The model's tables that exist in the database and hold rows; none when the database does not exist yet.</summary>
    public static async Task<IReadOnlyList<TableCopy>> TablesWithRowsAsync(DbContext db, IReadOnlyList<IEntityType> tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tables);
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var existing = (await db.Database.SqlQueryRaw<string>(db.Database.IsNpgsql()
                ? """SELECT table_name AS "Value" FROM information_schema.tables WHERE table_schema = current_schema()"""
                : """SELECT name AS "Value" FROM sqlite_master WHERE type = 'table'""")
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var withRows = new List<TableCopy>();
        foreach (var table in tables.Select(t => t.GetTableName()!).Where(existing.Contains))
        {
            var rows = await CountAsync(db, table, cancellationToken).ConfigureAwait(false);
            if (rows > 0)
            {
                withRows.Add(new TableCopy(table, 0, rows));
            }
        }

        return withRows;
    }

    /// <summary>
    /// Copies every table, in <paramref name="tables"/>' order, from a consistent read-only snapshot of the source into
    /// the migrated, empty target, inside one transaction on the target that is committed only if every table's row
    /// count then matches the source's. On PostgreSQL each identity sequence is moved past the copied ids.
    /// </summary>
    /// <param name="progress">Where a line is written per table, and every few seconds during a long one.</param>
    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(
        LiberterraDbContext source, LiberterraDbContext target, IReadOnlyList<IEntityType> tables, int batchSize, TextWriter progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        await using var snapshot = await BeginSnapshotAsync(source, cancellationToken).ConfigureAwait(false);
        await using var transaction = await target.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        target.ChangeTracker.AutoDetectChangesEnabled = false;

        var sourceRows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var type in tables)
        {
            var table = type.GetTableName()!;
            sourceRows[table] = await CountAsync(source, table, cancellationToken).ConfigureAwait(false);
            var copied = await CopyTableAsync(source, target, type, sourceRows[table], batchSize, progress, cancellationToken).ConfigureAwait(false);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table}: {copied} rows")).ConfigureAwait(false);
        }

        if (target.Database.IsNpgsql())
        {
            await ResetSequencesAsync(target, tables, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<TableCopy>();
        foreach (var type in tables)
        {
            var table = type.GetTableName()!;
            result.Add(new TableCopy(table, sourceRows[table], await CountAsync(target, table, cancellationToken).ConfigureAwait(false)));
        }

        var wrong = result.Where(r => r.SourceRows != r.TargetRows).ToList();
        if (wrong.Count > 0)
        {
            throw new InvalidOperationException("The row counts differ after the copy, so it was rolled back: "
                + string.Join(", ", wrong.Select(w => $"{w.Table} {w.SourceRows} in the source, {w.TargetRows} in the target")) + ".");
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    // Every read sees the source as it was at the first one, even if something still writes to it. On SQLite a
    // DEFERRED transaction takes no write lock (EF's default, IMMEDIATE, would); the connection is read-only anyway.
    private static async Task<IDbContextTransaction> BeginSnapshotAsync(LiberterraDbContext source, CancellationToken cancellationToken)
    {
        if (source.Database.IsNpgsql())
        {
            var transaction = await source.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await source.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
            return transaction;
        }

        await source.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sqlite = (SqliteConnection)source.Database.GetDbConnection();
        return (await source.Database.UseTransactionAsync(sqlite.BeginTransaction(deferred: true), cancellationToken).ConfigureAwait(false))!;
    }

    // Pages in primary-key order, so memory holds one batch whatever the table's size. A single integer key (every
    // table that grows) is paged by "after the last id", which costs the same on the last page as on the first; other
    // keys (small reference tables) by OFFSET.
    private static async Task<long> CopyTableAsync(
        LiberterraDbContext source, LiberterraDbContext target, IEntityType type, long expected, int batchSize, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var table = type.GetTableName()!;
        var key = type.FindPrimaryKey()!.Properties;
        var read = ReadBatchMethod.MakeGenericMethod(type.ClrType);

        long copied = 0;
        long? after = null;
        var lastReport = Stopwatch.StartNew();
        while (true)
        {
            var batch = await ((Task<IReadOnlyList<object>>)read.Invoke(null, [source, key, after, copied, batchSize, cancellationToken])!).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return copied;
            }

            target.AddRange(batch);
            await target.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            target.ChangeTracker.Clear();
            copied += batch.Count;
            if (IsInteger(key))
            {
                after = Convert.ToInt64(key[0].GetGetter().GetClrValueUsingContainingEntity(batch[^1]), CultureInfo.InvariantCulture);
            }

            if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
            {
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table}: {copied} of {expected} rows...")).ConfigureAwait(false);
                lastReport.Restart();
            }
        }
    }

    private static bool IsInteger(IReadOnlyList<IProperty> key) => key is [var id] && (id.ClrType == typeof(long) || id.ClrType == typeof(int));

    private static async Task<IReadOnlyList<object>> ReadBatchAsync<T>(
        LiberterraDbContext source, IReadOnlyList<IProperty> key, long? after, long skip, int take, CancellationToken cancellationToken)
        where T : class
    {
        IQueryable<T> rows = source.Set<T>().AsNoTracking();
        if (IsInteger(key))
        {
            var id = key[0].Name;
            if (after is { } last)
            {
                rows = key[0].ClrType == typeof(int)
                    ? rows.Where(r => EF.Property<int>(r, id) > (int)last)
                    : rows.Where(r => EF.Property<long>(r, id) > last);
            }

            return await rows.OrderBy(r => EF.Property<object>(r, id)).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var ordered = rows.OrderBy(r => EF.Property<object>(r, key[0].Name));
        foreach (var column in key.Skip(1))
        {
            ordered = ordered.ThenBy(r => EF.Property<object>(r, column.Name));
        }

        return await ordered.Skip(checked((int)skip)).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    // Rows were inserted with their ids, which leaves PostgreSQL's identity sequences where they started; the next new
    // row would then collide with a copied one. Each goes to max(id) + 1 (1 for an empty table). SQLite needs nothing:
    // AUTOINCREMENT follows the largest id inserted, however it was given.
    private static async Task ResetSequencesAsync(LiberterraDbContext target, IReadOnlyList<IEntityType> tables, CancellationToken cancellationToken)
    {
        foreach (var type in tables)
        {
            if (type.FindPrimaryKey()!.Properties is not [var id] || id.ValueGenerated == ValueGenerated.Never)
            {
                continue;
            }

            var table = type.GetTableName()!;
            var column = id.GetColumnName(StoreObjectIdentifier.Table(table, type.GetSchema()))!;
            // pg_get_serial_sequence gives NULL for a column without a sequence, and setval(NULL, ...) does nothing.
            var sql = $"SELECT setval(pg_get_serial_sequence({Literal(Quote(table))}, {Literal(column)}), COALESCE(MAX({Quote(column)}), 0) + 1, false) FROM {Quote(table)}";
            await target.Database.ExecuteSqlRawAsync(sql, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> CountAsync(DbContext db, string table, CancellationToken cancellationToken)
    {
        var sql = $"SELECT COUNT(*) AS \"Value\" FROM {Quote(table)}";
        return (await db.Database.SqlQueryRaw<long>(sql).ToListAsync(cancellationToken).ConfigureAwait(false)).Single();
    }

    // The names come from the model, not from a user; quoted anyway, the same way on both providers.
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
