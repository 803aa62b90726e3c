using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liberterra.Data.Postgres;

/// <summary>
/// The context <c>dotnet ef</c> builds this project's migrations against: the app's own configuration on PostgreSQL.
/// The tools compare models and write code; <c>migrations add</c> and <c>has-pending-model-changes</c> never connect,
/// so the connection string names no real server.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<LiberterraDbContext>
{
    public LiberterraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Postgres, "Host=design-time.invalid;Database=liberterra", AppContext.BaseDirectory);
        return new LiberterraDbContext(options.Options);
    }
}
