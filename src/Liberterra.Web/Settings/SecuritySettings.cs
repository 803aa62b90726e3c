namespace Liberterra.Web.Settings;

/// <summary>The "Security" settings.</summary>
public sealed class SecuritySettings : ISettingsSection
{
    public static string Section => "Security";

    /// <summary>Reads of the API and the dashboard need no key and no sign-in (appsettings.Development.json turns it on).</summary>
    public bool AllowAnonymousReads { get; set; }
}
