using System.Threading.RateLimiting;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Hosting;

/// <summary>
/// A token bucket per API key (per client address for anonymous reads) on /api: RateLimiting:PermitsPerSecond
/// sustained, RateLimiting:Burst at once (<see cref="RateLimitingSettings"/>, read once at start-up). Defaults of 50 and
/// 100 leave room for a national unit's busiest upload while stopping a runaway client from starving the others.
/// Refusals are 429 problems with Retry-After.
/// </summary>
public static class RateLimitingExtensions
{
    public static WebApplicationBuilder AddApiRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<RateLimitingSettings>();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingSettings>>((options, settings) =>
        {
            var (permits, burst) = (settings.Value.PermitsPerSecond, settings.Value.BucketSize);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var partition = context.User.KeyId() is { } keyId ? $"key:{keyId}" : $"ip:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    "This key has sent more requests than its rate limit allows. Retry after a second.");
            };
        });
        return builder;
    }
}
