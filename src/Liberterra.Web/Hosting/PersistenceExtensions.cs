using Liberterra.Data;
using Liberterra.Web.Caching;
using Liberterra.Web.Returns;
using Liberterra.Web.Settings;
using Liberterra.Web.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Hosting;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers the DbContext for <c>Database:Provider</c> on <c>ConnectionStrings:Liberterra</c>, plus the read side:
    /// the roll-up cache and the poll that keeps it in step with other instances' writes (<c>Cache:RefreshMilliseconds</c>).
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<DatabaseSettings>();
        builder.Services.AddSettings<ConnectionStringsSettings>();
        builder.Services.AddSingleton<IValidateOptions<ConnectionStringsSettings>, ConnectionStringsSettings.Validator>();
        builder.Services.AddSettings<SeedSettings>();
        builder.Services.AddSettings<CacheSettings>();

        // Pooled, with options built once, when the first context is made, and not again on every request.
        builder.Services.AddDbContextPool<LiberterraDbContext>((services, options) =>
        {
            var provider = services.GetRequiredService<IOptions<DatabaseSettings>>().Value.Provider;
            DatabaseSetup.Configure(
                options,
                provider,
                services.GetRequiredService<IOptions<ConnectionStringsSettings>>().Value.For(provider),
                services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        });
        builder.Services.AddSingleton(services => new WriteGate(
            services.GetRequiredService<IOptions<DatabaseSettings>>().Value.Provider == DatabaseProvider.Sqlite));
        builder.Services.AddSingleton<OperationDefinitions>();
        builder.Services.AddSingleton<ReturnCommitter>();
        builder.Services.AddScoped<OperationReader>();
        builder.Services.AddScoped<ReturnReader>();
        builder.Services.AddScoped<ReturnSubmitter>();
        builder.Services.AddSingleton<AggregateCache>();
        builder.Services.AddHostedService<AggregateCacheRefresh>();
        return builder;
    }

    /// <summary>Migrates the schema and loads absent seed operations before the app takes any request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var seedDirectory = app.Services.GetRequiredService<IOptions<SeedSettings>>().Value.DirectoryUnder(app.Environment.ContentRootPath);
        await DatabaseSetup.PrepareAsync(db, seedDirectory, app.Logger, app.Lifetime.ApplicationStopping);
    }
}
