using System.Net.Sockets;
using Liberterra.Data;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Liberterra.Web.Hosting;

/// <summary>
/// The one place that tells "the database is unavailable" (a read-only or full disk, a stopped or restarting server, a
/// broken connection) from a bug. Unavailable is a 503 ProblemDetails with Retry-After, to any request, API or page:
/// the client should try again, and a write that got it may or may not have committed, which a retry with the same
/// Idempotency-Key settles. Every other exception stays a 500: a bug is a bug.
/// </summary>
public sealed partial class DatabaseUnavailable(ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    public const string Title = "Database unavailable";
    public const string Detail = "The database is unavailable. Try again later; resend a write with the same Idempotency-Key, as it may have been saved.";
    public const int RetryAfterSeconds = 5;

    // SQLite primary result codes that mean "the file cannot be read or written right now", not "the SQL is wrong":
    // BUSY, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL. CORRUPT and NOTADB need an operator and stay 500s; so do LOCKED
    // (a conflict inside one connection, which WAL without shared cache only gives to a bug) and NOMEM (a process out
    // of memory should fail loudly and be restarted, not answer 503 for ever while /health/live says it is fine).
    private static readonly HashSet<int> SqliteUnavailable = [5, SqliteReadOnly, 10, 13, 14, 15];

    private const int SqliteReadOnly = 8;

    /// <summary>Whether the exception, or any exception inside it, says the database cannot be reached or written.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        var fromDatabase = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var unavailable = e switch
            {
                SqliteException sqlite => SqliteUnavailable.Contains(sqlite.SqliteErrorCode & 0xFF),
                // Connection exceptions (08), insufficient resources (53), shutdown and start-up (57P01-57P03), and a
                // read-only transaction (25006): the app is talking to a standby, as after a failover.
                PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                    || postgres.SqlState is "57P01" or "57P02" or "57P03" or "25006",
                // Npgsql's own: a refused or broken connection, a timeout, an exhausted pool.
                NpgsqlException npgsql => npgsql.IsTransient,
                // Only inside a database exception: a timeout elsewhere (a regex, an outbound call) is not an outage.
                TimeoutException or SocketException => fromDatabase,
                _ => false,
            };
            fromDatabase |= e is System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException;
            if (unavailable)
            {
                return true;
            }

            // A PostgresException that is not one of the above is the server's verdict on the SQL: look no deeper.
            if (e is PostgresException or SqliteException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The exception's type and code, for a log line: never its message, which may carry a host, a path or SQL.</summary>
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite:
                    return $"SQLite error {sqlite.SqliteErrorCode} (extended {sqlite.SqliteExtendedErrorCode})";
                case PostgresException postgres:
                    return $"PostgreSQL {postgres.SqlState}";
                case NpgsqlException npgsql:
                    return npgsql.InnerException is { } inner ? $"Npgsql: {inner.GetType().Name}" : "Npgsql";
            }
        }

        return exception.GetType().Name;
    }

    /// <summary>
    /// SQLite opens a file it may not write read-only, and the connection pool keeps that connection: once the disk is
    /// writable again, every write through it would still fail with SQLITE_READONLY, so the app would never recover by
    /// itself. On that error the pool is emptied, and the next connection opens the file afresh.
    /// </summary>
    public static void ForgetReadOnlyConnections(Exception exception, LiberterraDbContext? db)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteReadOnly } && db?.Database.GetDbConnection() is SqliteConnection connection)
            {
                SqliteConnection.ClearPool(connection);
                return;
            }
        }
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!IsUnavailable(exception))
        {
            return false;
        }

        ForgetReadOnlyConnections(exception, httpContext.RequestServices.GetService<LiberterraDbContext>());
        Unavailable(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", Describe(exception));
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, Title, Detail);
        return true;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{RequestMethod} {RequestPath} answered 503: the database is unavailable ({Cause})")]
    private static partial void Unavailable(ILogger logger, string requestMethod, string requestPath, string cause);
}
