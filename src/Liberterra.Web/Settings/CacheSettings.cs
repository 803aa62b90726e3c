using System.ComponentModel.DataAnnotations;

namespace Liberterra.Web.Settings;

/// <summary>The "Cache" settings: how often <see cref="AggregateCacheRefresh"/> looks for other instances' writes.</summary>
public sealed class CacheSettings : ISettingsSection
{
    public static string Section => "Cache";

    [Range(10, int.MaxValue)]
    public int RefreshMilliseconds { get; set; } = 1000;

    /// <summary>How long another instance's write can go unseen here.</summary>
    public TimeSpan Refresh => TimeSpan.FromMilliseconds(RefreshMilliseconds);
}
