using System.ComponentModel.DataAnnotations;

namespace Liberterra.Web.Settings;

/// <summary>The "RateLimiting" settings: each API key's token bucket (<see cref="RateLimitingExtensions"/>).</summary>
public sealed class RateLimitingSettings : ISettingsSection, IValidatableObject
{
    public static string Section => "RateLimiting";

    /// <summary>Requests per second, sustained.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests at once: the bucket's size. Unset, it is 100, or <see cref="PermitsPerSecond"/> when that is larger.</summary>
    [Range(1, int.MaxValue)]
    public int? Burst { get; set; }

    /// <summary>The bucket's size in force, so that raising the rate alone never leaves a bucket smaller than a second's permits.</summary>
    public int BucketSize => Burst ?? Math.Max(100, PermitsPerSecond);

    // Before typed settings a smaller burst was quietly raised to the rate; now a burst that is written and too small is
    // refused, so the value in force is the one written.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Burst < PermitsPerSecond)
        {
            yield return new ValidationResult(
                $"is {Burst}; it must be at least {Section}:{nameof(PermitsPerSecond)} ({PermitsPerSecond}), since a bucket holds at least one second's permits.",
                [nameof(Burst)]);
        }
    }
}
