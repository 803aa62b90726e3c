namespace Liberterra.Web.Settings;

/// <summary>The "Seed" settings: whether, and from where, seed operations are loaded at start-up.</summary>
public sealed class SeedSettings : ISettingsSection
{
    public static string Section => "Seed";

    public bool Enabled { get; set; } = true;

    /// <summary>Relative to the content root. Empty: the seed-data folder copied next to the app.</summary>
    public string? Directory { get; set; }

    /// <summary>The folder to seed from, or null when seeding is off.</summary>
    public string? DirectoryUnder(string contentRoot) =>
        !Enabled ? null
        : Directory is { Length: > 0 } configured ? Path.GetFullPath(configured, contentRoot)
        : Path.Combine(AppContext.BaseDirectory, "seed-data");
}
