using Liberterra.Data;
using Liberterra.Web.Caching;
using Liberterra.Web.Writes;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Hosting;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers the DbContext for <c>Database:Provider</c> on <c>ConnectionStrings:Liberterra</c>, plus the read side:
    /// the roll-up cache and the poll that keeps it in step with other instances' writes (<c>Cache:RefreshMilliseconds</c>).
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        // Pooled, with options built once, when the first context is made: after every configuration source (tests
        // included) is in place, and not again on every request.
        builder.Services.AddDbContextPool<LiberterraDbContext>((services, options) =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            var environment = services.GetRequiredService<IHostEnvironment>();
            DatabaseSetup.Configure(
                options,
                configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite),
                configuration.GetConnectionString("Liberterra")
                    ?? throw new InvalidOperationException("ConnectionStrings:Liberterra is not set."),
                environment.ContentRootPath);
        });
        builder.Services.AddSingleton(services => new WriteGate(
            services.GetRequiredService<IConfiguration>().GetValue("Database:Provider", DatabaseProvider.Sqlite) == DatabaseProvider.Sqlite));
        builder.Services.AddSingleton<OperationDefinitions>();
        builder.Services.AddSingleton<ReturnCommitter>();
        builder.Services.AddScoped<OperationReader>();
        builder.Services.AddSingleton<AggregateCache>();
        builder.Services.AddHostedService<AggregateCacheRefresh>();
        return builder;
    }

    /// <summary>Migrates the schema and loads absent seed operations before the app takes any request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var seedDirectory = app.Configuration.GetValue("Seed:Enabled", true)
            ? app.Configuration["Seed:Directory"] is { Length: > 0 } configured
                ? Path.GetFullPath(configured, app.Environment.ContentRootPath)
                : Path.Combine(AppContext.BaseDirectory, "seed-data")
            : null;
        await DatabaseSetup.PrepareAsync(db, seedDirectory, app.Logger, app.Lifetime.ApplicationStopping);
    }
}
