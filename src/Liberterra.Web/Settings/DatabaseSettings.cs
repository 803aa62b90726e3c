using Liberterra.Data;

namespace Liberterra.Web.Settings;

/// <summary>The "Database" settings: which engine the app runs on (its connection string is <see cref="ConnectionStringsSettings"/>).</summary>
public sealed class DatabaseSettings : ISettingsSection
{
    public static string Section => "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
