using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liberterra.Data.Sqlite;

/// <summary>
/// The context <c>dotnet ef</c> builds this project's migrations against: the app's own configuration on SQLite. The
/// tools compare models and write code; <c>migrations add</c> and <c>has-pending-model-changes</c> never open the
/// database, so an in-memory one stands in.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<LiberterraDbContext>
{
    public LiberterraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LiberterraDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Sqlite, "Data Source=:memory:", AppContext.BaseDirectory);
        return new LiberterraDbContext(options.Options);
    }
}
