using System.ComponentModel.DataAnnotations;

namespace Liberterra.Web.Settings;

/// <summary>The "SignIn" settings: the dashboard sign-in throttles of <see cref="UserSignIn"/>.</summary>
public sealed class SignInSettings : ISettingsSection
{
    public static string Section => "SignIn";

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>How long a locked account stays locked; at most a year, so the lock's end is always a date.</summary>
    [Range(1, 525_600)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failures from one client address in 10 minutes before it is refused outright.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFailuresPerClient { get; set; } = 20;
}
