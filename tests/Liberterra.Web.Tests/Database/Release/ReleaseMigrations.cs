using Liberterra.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests.Release;

/// <summary>
/// The migrations of the last release with hand-written migrations (commit 1d8f1ad, src/Liberterra.Data/Migrations),
/// kept here as they were, namespace aside, to build the databases that release deployed: one set for both providers,
/// no model snapshot. Never edit them; a deployed database was made by exactly this code.
/// </summary>
public static class ReleaseMigrations
{
    /// <summary>Every migration of the release, oldest first: what its databases hold in __EFMigrationsHistory.</summary>
    public static readonly IReadOnlyList<string> Ids =
    [
        "20261122000000_InitialSchema",
        "20261122020000_WriteApi",
        "20261122040000_Users",
        "20261122060000_DataProtectionKeys",
        "20261122060100_OperationRevision",
        "20261204000000_ParticipantRevision",
    ];

    /// <summary>
    /// Points a context configured as the app's (<see cref="DatabaseSetup.Configure"/>) at the release's migrations,
    /// configured as the release configured them: with no snapshot, EF's pending-changes check was silenced.
    /// </summary>
    public static void Use(DbContextOptionsBuilder options, DatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = typeof(ReleaseMigrations).Assembly.GetName().Name;
        _ = provider == DatabaseProvider.Sqlite
            ? options.UseSqlite(sqlite => sqlite.MigrationsAssembly(assembly))
            : options.UseNpgsql(npgsql => npgsql.MigrationsAssembly(assembly));
        options.ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>A context on the database that migrates with the release's migrations (<see cref="IMigrator"/>).</summary>
    public static LiberterraDbContext Context(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, database.Engine, database.ConnectionString, AppContext.BaseDirectory);
        Use(options, database.Engine);
        return new LiberterraDbContext(options.Options);
    }

    /// <summary>
    /// The app on the release's migrations in place of its own. The release wrote the same rows into the same schema,
    /// so this fills a database as a deployment of that release did.
    /// </summary>
    public static void Use(IServiceCollection services, DatabaseProvider provider) =>
        services.ConfigureDbContext<LiberterraDbContext>(options => Use(options, provider), ServiceLifetime.Singleton);
}
