using Liberterra.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Infrastructure;

public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        // A real query, not just a connection: SQLite "connects" to a missing file by creating an empty one.
        builder.Services.AddHealthChecks().AddDbContextCheck<LiberterraDbContext>("database", tags: [ReadyTag],
            customTestQuery: async (db, cancellationToken) => await db.Operations.CountAsync(cancellationToken) >= 0);
        return builder;
    }

    /// <summary>/health/live: the process answers. /health/ready: it can also reach its database.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
