using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Reflection;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Liberterra.Data;

/// <summary>
/// Inserts and updates rows of one entity type with one prepared statement per call, inside the context's current
/// transaction. The write path uses it instead of SaveChanges, whose change tracking and per-row command building cost
/// about 0.5 ms a row here, twenty times SQLite's own insert (docs/performance.md, "Batches"): a 10,000-row batch then
/// held the writer's turn for seconds. The SQL, column names and value conversions all come from the EF model, so the
/// model stays the one description of the schema. Each provider has one way in: on SQLite a statement stepped once a
/// row (<see cref="SqliteStatement"/>); on PostgreSQL, where every statement is a round trip, many rows to a statement.
/// </summary>
public static class RowWriter
{
    private static readonly ConcurrentDictionary<(IModel, Type), Table> Tables = new();

    /// <summary>
    /// Inserts the rows and sets each one's generated key. On SQLite, one prepared statement stepped once a row, the key
    /// read back as the row's rowid. On PostgreSQL, where the table has a unique index besides its key, many rows go to one
    /// statement as a single JSON parameter that the database unpacks (jsonb_array_elements: parsed once, where json's
    /// ->> re-parses a row's text for every column and took twice as long), and each returned key is
    /// matched to its row by that index's columns, because SQL does not promise that RETURNING keeps the order of the
    /// input; a table without such an index, or a single row, gets one prepared statement a row.
    /// </summary>
    public static async Task InsertAsync<T>(LiberterraDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var table = Table.Of<T>(db);
        var columns = table.Columns.Where(c => c.Property != table.Key).ToList();
        var insert = $"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            using var statement = SqliteStatement.Prepare(sqlite, insert, table);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < columns.Count; i++)
                {
                    statement.Bind(i + 1, columns[i].ProviderValue(row));
                }

                statement.Step();
                table.KeySetter.SetValue(row, Convert.ChangeType(statement.LastInsertRowId, table.Key.ClrType, CultureInfo.InvariantCulture));
            }

            return;
        }

        if (table.Unique.Count > 0 && rows.Count > 1)
        {
            foreach (var chunk in rows.Chunk(RowsPerJsonStatement))
            {
                await using var command = table.Command(db, JsonInsertSql(table, columns));
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@rows";
                parameter.Value = JsonRows(columns, chunk);
                command.Parameters.Add(parameter);
                await Execute(table, () => ReadKeysAsync(table, command, chunk, cancellationToken)).ConfigureAwait(false);
            }

            return;
        }

        await using var single = table.Command(db, $"{insert} RETURNING {table.KeyColumn}");
        var parameters = AddParameters(single, columns);
        await single.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            SetValues(parameters, columns, row);
            var key = await Execute(table, () => single.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false);
            table.KeySetter.SetValue(row, Convert.ChangeType(key, table.Key.ClrType, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Bounds one statement's JSON (about 300 bytes a return) while keeping a 10,000-row batch to a few statements.</summary>
    private const int RowsPerJsonStatement = 2_000;

    /// <summary>Each element of @rows is one row's values as a JSON array, in the order of <paramref name="columns"/>.</summary>
    private static string JsonInsertSql(Table table, IReadOnlyList<Column> columns)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        var returning = string.Join(", ", table.Unique.Select(c => c.Name).Prepend(table.KeyColumn));
        var values = string.Join(", ", columns.Select((c, i) => $"(r ->> {i})::{c.Mapping.StoreType}"));
        return $"INSERT INTO {table.Name} ({names}) SELECT {values} FROM jsonb_array_elements(@rows::jsonb) AS r RETURNING {returning}";
    }

    /// <summary>
    /// The rows' provider values as JSON, written as Npgsql would bind them, so that a row stored this way is stored
    /// exactly as SaveChanges would store it (RowWriterTests compares the two).
    /// </summary>
    private static string JsonRows<T>(IReadOnlyList<Column> columns, T[] rows)
        where T : class
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(rows.Length * 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartArray();
                foreach (var column in columns)
                {
                    switch (column.ProviderValue(row))
                    {
                        case DBNull:
                            json.WriteNullValue();
                            break;
                        case string text:
                            json.WriteStringValue(text);
                            break;
                        case int number:
                            json.WriteNumberValue(number);
                            break;
                        case long number:
                            json.WriteNumberValue(number);
                            break;
                        case bool flag:
                            json.WriteBooleanValue(flag);
                            break;
                        case DateTime time:
                            json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                            break;
                        case DateOnly date:
                            json.WriteStringValue(date.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture));
                            break;
                        case var other:
                            throw new NotSupportedException($"RowWriter does not write {other.GetType().Name} values as JSON ({column.Name}).");
                    }
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<int> ReadKeysAsync<T>(Table table, DbCommand command, T[] rows, CancellationToken cancellationToken)
        where T : class
    {
        var byUnique = new Dictionary<string, T>(rows.Length, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // Two rows with one unique value would break the index anyway: fail as the database would, so that the
            // caller's handling of a lost race (each write retried alone) applies.
            if (!byUnique.TryAdd(table.UniqueValue(row), row))
            {
                throw new DbUpdateException($"Two rows for {table.Name} share the values of its unique index.");
            }
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var read = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = byUnique[table.UniqueValue(reader)];
                table.KeySetter.SetValue(row, Convert.ChangeType(reader.GetValue(0), table.Key.ClrType, CultureInfo.InvariantCulture));
                read++;
            }

            return read == rows.Length
                ? read
                : throw new InvalidOperationException($"Inserting {rows.Length} rows into {table.Name} returned {read} keys.");
        }
    }

    /// <summary>
    /// Updates every column of each row, where its concurrency token still has the value it was read with; a row changed
    /// meanwhile (or gone) throws <see cref="DbUpdateConcurrencyException"/>, as SaveChanges would.
    /// </summary>
    public static async Task UpdateAsync<T>(LiberterraDbContext db, IReadOnlyCollection<(T Row, object OriginalToken)> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var table = Table.Of<T>(db);
        var token = table.Columns.Single(c => c.Property.IsConcurrencyToken);
        var columns = table.Columns.Where(c => c.Property != table.Key).ToList();
        var keyColumn = table.Columns.Single(c => c.Property == table.Key);
        var sql = $"UPDATE {table.Name} SET {string.Join(", ", columns.Select((c, i) => $"{c.Name} = @p{i}"))} WHERE {table.KeyColumn} = @key AND {token.Name} = @token";
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            using var statement = SqliteStatement.Prepare(sqlite, sql, table);
            foreach (var (row, originalToken) in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < columns.Count; i++)
                {
                    statement.Bind(i + 1, columns[i].ProviderValue(row));
                }

                statement.Bind(columns.Count + 1, keyColumn.ProviderValue(row));
                statement.Bind(columns.Count + 2, token.ToProvider(originalToken));
                if (statement.Step() != 1)
                {
                    throw Concurrency(table);
                }
            }

            return;
        }

        await using var command = table.Command(db, sql);
        var parameters = AddParameters(command, columns);
        var keyParameter = keyColumn.AddParameter(command, "@key");
        var tokenParameter = token.AddParameter(command, "@token");
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (row, originalToken) in rows)
        {
            SetValues(parameters, columns, row);
            keyParameter.Value = keyColumn.ProviderValue(row);
            tokenParameter.Value = token.ToProvider(originalToken);
            if (await Execute(table, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false) != 1)
            {
                throw Concurrency(table);
            }
        }
    }

    private static DbUpdateConcurrencyException Concurrency(Table table) =>
        new($"A row of {table.Name} was changed or deleted by another writer since it was read.");

    private static List<DbParameter> AddParameters(DbCommand command, IReadOnlyList<Column> columns) =>
        columns.Select((column, i) => column.AddParameter(command, $"@p{i}")).ToList();

    private static void SetValues(List<DbParameter> parameters, IReadOnlyList<Column> columns, object row)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i].Value = columns[i].ProviderValue(row);
        }
    }

    /// <summary>A failed statement surfaces as SaveChanges would report it, so callers handle both alike (a lost race is retried).</summary>
    private static async Task<TResult> Execute<TResult>(Table table, Func<Task<TResult>> statement)
    {
        try
        {
            return await statement().ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            throw new DbUpdateException($"Writing a row of {table.Name} failed: {exception.GetType().Name}.", exception);
        }
    }

    /// <summary>
    /// One SQLite statement, prepared on the context's own connection (so inside its transaction) and stepped once a row,
    /// its values bound by position through SQLitePCL.raw, the library that Microsoft.Data.Sqlite itself calls.
    /// Microsoft.Data.Sqlite binds every parameter by name on every execution: its prepared insert of a return and its
    /// version took about 80 µs a row here, where the same statements bound by position take a few (docs/performance.md,
    /// "Batches"). Values are bound as Microsoft.Data.Sqlite binds them (RowWriterTests compares the rows stored with
    /// those SaveChanges stores); a busy database is waited for up to the connection's timeout, as it waits; an error
    /// becomes the same <see cref="SqliteException"/>, wrapped as SaveChanges wraps it.
    /// </summary>
    private sealed class SqliteStatement : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly sqlite3_stmt statement;
        private readonly Table table;
        private (DateTime Time, string Text) lastTime;

        private SqliteStatement(SqliteConnection connection, sqlite3_stmt statement, Table table) =>
            (this.connection, this.statement, this.table) = (connection, statement, table);

        public static SqliteStatement Prepare(SqliteConnection connection, string sql, Table table)
        {
            var handle = connection.Handle ?? throw new InvalidOperationException("RowWriter needs the connection open, inside the write's transaction.");
            Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle, table);
            return new SqliteStatement(connection, statement, table);
        }

        public long LastInsertRowId => raw.sqlite3_last_insert_rowid(connection.Handle);

        public void Bind(int index, object value)
        {
            var result = value switch
            {
                DBNull => raw.sqlite3_bind_null(statement, index),
                string text => raw.sqlite3_bind_text(statement, index, text),
                int number => raw.sqlite3_bind_int64(statement, index, number),
                long number => raw.sqlite3_bind_int64(statement, index, number),
                bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
                DateTime time => raw.sqlite3_bind_text(statement, index, Text(time)),
                // Microsoft.Data.Sqlite's own text for a DateOnly.
                DateOnly date => raw.sqlite3_bind_text(statement, index, date.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
                var other => throw new NotSupportedException($"RowWriter does not write {other.GetType().Name} values ({table.Name})."),
            };
            Check(result, connection.Handle!, table);
        }

        /// <summary>Microsoft.Data.Sqlite's own text for a DateTime; the rows of one write share their time, so it is formatted once.</summary>
        private string Text(DateTime time)
        {
            if (lastTime.Time != time || lastTime.Text is null)
            {
                lastTime = (time, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture));
            }

            return lastTime.Text;
        }

        /// <summary>Runs the statement with the values bound, and returns how many rows it changed.</summary>
        public int Step()
        {
            var handle = connection.Handle!;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            int result;
            while ((result = raw.sqlite3_step(statement)) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED
                && waited.Elapsed.TotalSeconds < connection.DefaultTimeout)
            {
                raw.sqlite3_reset(statement);
                Thread.Sleep(10);
            }

            Check(result, handle, table);
            raw.sqlite3_reset(statement);
            return raw.sqlite3_changes(handle);
        }

        private static void Check(int result, sqlite3 handle, Table table)
        {
            try
            {
                SqliteException.ThrowExceptionForRC(result, handle);
            }
            catch (SqliteException exception)
            {
                throw new DbUpdateException($"Writing a row of {table.Name} failed: {exception.GetType().Name}.", exception);
            }
        }

        public void Dispose() => statement.Dispose();
    }

    /// <param name="Unique">The columns of a unique index other than the key, if the table has one; else empty.</param>
    private sealed record Table(string Name, IProperty Key, string KeyColumn, PropertyInfo KeySetter, IReadOnlyList<Column> Columns, IReadOnlyList<Column> Unique)
    {
        /// <summary>A row's values of <see cref="Unique"/>, as text that matches <see cref="UniqueValue(DbDataReader)"/>'s.</summary>
        public string UniqueValue(object row) => string.Join('\u001f', Unique.Select(c => c.Text(c.ProviderValue(row))));

        /// <summary>The same from a RETURNING row, whose first column is the key.</summary>
        public string UniqueValue(DbDataReader reader) => string.Join('\u001f', Unique.Select((c, i) => c.Text(reader.GetValue(i + 1))));

        public static Table Of<T>(LiberterraDbContext db) => Tables.GetOrAdd((db.Model, typeof(T)), _ => Build<T>(db));

        private static Table Build<T>(LiberterraDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var columns = entity.GetProperties().Concat(ComplexProperties(entity.GetComplexProperties()))
                .Select(p => new Column(sql.DelimitIdentifier(p.GetColumnName(store)!), p, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
                .ToList();
            var unique = entity.GetIndexes().Where(i => i.IsUnique && i.GetFilter() is null && !i.Properties.Contains(key))
                .Select(i => i.Properties.Select(p => columns.Single(c => c.Property == p)).ToList())
                .FirstOrDefault() ?? [];
            return new Table(sql.DelimitIdentifier(store.Name, store.Schema), key, sql.DelimitIdentifier(key.GetColumnName(store)!),
                key.PropertyInfo!, columns, unique);
        }

        private static IEnumerable<IProperty> ComplexProperties(IEnumerable<IComplexProperty> complex) =>
            complex.SelectMany(c => c.ComplexType.GetProperties().Concat(ComplexProperties(c.ComplexType.GetComplexProperties())));

        public DbCommand Command(LiberterraDbContext db, string text)
        {
            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = text;
            return command;
        }
    }

    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        private readonly Microsoft.EntityFrameworkCore.Metadata.IClrPropertyGetter getter = Property.GetGetter();

        public DbParameter AddParameter(DbCommand command, string name)
        {
            var parameter = Mapping.CreateParameter(command, name, null, Property.IsNullable);
            command.Parameters.Add(parameter);
            return parameter;
        }

        public object ProviderValue(object row) => ToProvider(getter.GetClrValueUsingContainingEntity(row));

        /// <summary>A provider value as invariant text, so that an int parameter and the long SQLite reads back compare equal.</summary>
        public string Text(object value) => value is DBNull ? "" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

        public object ToProvider(object? value) =>
            (value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
    }
}
