using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Liberterra.Data;

/// <summary>
/// Per-connection SQLite settings. WAL lets readers run beside a writer; synchronous=FULL makes every commit reach
/// the disk before it is acknowledged, so an acknowledged return survives a power cut, not only a process crash.
/// Journal mode is a property of the database file and is set once, at start-up (see <see cref="DatabaseSetup"/>).
/// The pragma is a property of the native connection, which the driver pools, so it is sent once per native
/// connection rather than on every open.
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL;";
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool NeedsPragmas(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
    }
}
