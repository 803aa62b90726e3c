using System.Data.Common;
using Liberterra.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Liberterra.Web.Settings;

/// <summary>
/// The "ConnectionStrings" section: the app's database. Other connection strings may sit beside it (a host may add its
/// own); they are ignored.
/// </summary>
public sealed class ConnectionStringsSettings : ISettingsSection
{
    /// <summary>SQLite's default: a file under the content root, whose folder is created.</summary>
    public const string SqliteDefault = "Data Source=data/liberterra.db";

    public static string Section => "ConnectionStrings";

    public static bool AllowsOtherKeys => true;

    /// <summary>A SQLite or Npgsql connection string, for <see cref="DatabaseSettings.Provider"/>. Empty: <see cref="SqliteDefault"/> on SQLite; required on PostgreSQL.</summary>
    public string? Liberterra { get; set; }

    /// <summary>The connection string to use on <paramref name="provider"/>, once <see cref="Validator"/> has passed it.</summary>
    public string For(DatabaseProvider provider) =>
        Liberterra is { Length: > 0 } configured ? configured
        : provider == DatabaseProvider.Sqlite ? SqliteDefault
        : throw new InvalidOperationException($"{SettingsExtensions.Key<ConnectionStringsSettings>(nameof(Liberterra))} is not set.");

    /// <summary>Checks the connection string against the configured provider's own parser, without ever repeating it.</summary>
    internal sealed class Validator(IOptions<DatabaseSettings> database) : IValidateOptions<ConnectionStringsSettings>
    {
        public ValidateOptionsResult Validate(string? name, ConnectionStringsSettings options)
        {
            DatabaseProvider provider;
            try
            {
                provider = database.Value.Provider;
            }
            catch (OptionsValidationException)
            {
                return ValidateOptionsResult.Skip; // Database:Provider's own line says what is wrong
            }

            var key = SettingsExtensions.Key<ConnectionStringsSettings>(nameof(Liberterra));
            if (options.Liberterra is not { Length: > 0 } text)
            {
                return provider == DatabaseProvider.Postgres
                    ? ValidateOptionsResult.Fail($"Setting {key} is not set; with Database:Provider Postgres it must be an Npgsql connection string (Host=...;Database=...;Username=...;Password=...).")
                    : ValidateOptionsResult.Success;
            }

            try
            {
                DbConnectionStringBuilder parsed = provider == DatabaseProvider.Postgres ? new NpgsqlConnectionStringBuilder(text) : new SqliteConnectionStringBuilder(text);
                return parsed is NpgsqlConnectionStringBuilder { Host: null or "" }
                    ? ValidateOptionsResult.Fail($"Setting {key} names no Host; with Database:Provider Postgres it must be an Npgsql connection string (Host=...;Database=...;Username=...;Password=...).")
                    : ValidateOptionsResult.Success;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // The parsers name a bad keyword or a bad number, never the password; their first sentence says which.
                return ValidateOptionsResult.Fail($"Setting {key} is not a valid {provider} connection string ({exception.Message.Split(". ")[0].TrimEnd('.')}).");
            }
        }
    }
}
