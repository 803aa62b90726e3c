using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Liberterra.Data;

/// <summary>
/// Per-connection SQLite settings. WAL lets readers run beside a writer; synchronous=FULL makes every commit reach
/// the disk before it is acknowledged, so an acknowledged return survives a power cut, not only a process crash.
/// Journal mode is a property of the database file and is set once, at start-up (see <see cref="DatabaseSetup"/>).
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
