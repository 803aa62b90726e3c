using System.Text.Json;
using Liberterra.Data;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Liberterra.Web.Hosting;

public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        // The timeout keeps a probe from hanging on a server that accepts connections but does not answer.
        builder.Services.AddSingleton<DatabaseHealthCheck.LastResult>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>
    /// /health/live: the process answers, plain "Healthy", whatever the database does (an outage is no reason to restart).
    /// /health/ready: it can also read and write its database; JSON naming each check, 200 or 503. Neither is cached.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    // Only each check's status and its own short description: never an exception's text, which may name hosts or paths.
    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        }), context.RequestAborted);
    }
}

/// <summary>
/// Healthy when the database answers a read and takes a write; unhealthy, with a short reason, when it does not. The
/// answer is reused for a second: /health/ready is anonymous and, on SQLite, costs a write in the writers' queue, so a
/// flood of probes must not slow the national units' writes.
/// </summary>
internal sealed class DatabaseHealthCheck(LiberterraDbContext db, WriteGate gate, DatabaseHealthCheck.LastResult last) : IHealthCheck
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (last.Get(Reuse) is { } recent)
        {
            return recent;
        }

        var result = await CheckAsync(cancellationToken);
        last.Set(result);
        return result;
    }

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A real table, not just a connection: SQLite "connects" to a missing file by creating an empty one.
            await db.Operations.CountAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await gate.RunAsync(() => RewriteUserVersionAsync(cancellationToken), cancellationToken);
            }

            return HealthCheckResult.Healthy("The database answers reads and writes.");
        }
        catch (Exception exception) when (DatabaseUnavailable.IsUnavailable(exception))
        {
            DatabaseUnavailable.ForgetReadOnlyConnections(exception, db);
            return HealthCheckResult.Unhealthy($"The database is unavailable ({DatabaseUnavailable.Describe(exception)}).");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not an outage (a wrong password, a missing database, a corrupt file), but not ready either. Only the type
            // and code: the exception's text may name a user, a host or a path, and this endpoint is anonymous.
            return HealthCheckResult.Unhealthy($"The database check failed ({DatabaseUnavailable.Describe(exception)}).");
        }
    }

    /// <summary>The latest result and when it was taken, shared by the checks of one app.</summary>
    internal sealed class LastResult
    {
        private readonly Lock gate = new();
        private (long At, HealthCheckResult Result)? latest;

        public HealthCheckResult? Get(TimeSpan maxAge)
        {
            lock (gate)
            {
                return latest is { } value && Environment.TickCount64 - value.At < maxAge.TotalMilliseconds ? value.Result : null;
            }
        }

        public void Set(HealthCheckResult result)
        {
            lock (gate)
            {
                latest = (Environment.TickCount64, result);
            }
        }
    }

    // A read-only SQLite file (full or failed disk, an immutable file) still answers reads; only a committed write shows
    // it. Writing user_version back unchanged is the smallest such write, and nothing else in the app uses that field.
    private async Task RewriteUserVersionAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"PRAGMA user_version = {version}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
