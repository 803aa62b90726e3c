using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Microsoft.AspNetCore.OutputCaching;

namespace Liberterra.Web.Dashboard;

/// <summary>
/// The dashboard's plumbing: rendered pages are output-cached until the next write (see <see cref="RenderedPageCache"/>),
/// every page carries a strict Content-Security-Policy, and the CSV exports are served beside the pages.
/// </summary>
public static class DashboardSetup
{
    public const string CachePolicy = "dashboard";

    // No inline script or style is allowed anywhere in the dashboard, so text that reached a page from a return's
    // notes could not run even if encoding ever failed. Swagger UI needs inline script and keeps its own defaults.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddOutputCache(options => options.AddPolicy(CachePolicy, new RenderedPageCache()));
        builder.Services.AddRazorPages(options =>
            options.Conventions.AddFolderApplicationModelConvention("/", model =>
            {
                // Account pages hold per-visitor anti-forgery tokens and must never be served from a shared cache.
                if (!model.ViewEnginePath.StartsWith("/Account/", StringComparison.Ordinal))
                {
                    model.EndpointMetadata.Add(new OutputCacheAttribute { PolicyName = CachePolicy });
                }
            }));
        return builder;
    }

    public static IApplicationBuilder UseDashboardSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && !path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
            }

            return next(context);
        });

    /// <summary>The country table and the timeline as CSV, written by the same code as the API's CSV, so the two agree.</summary>
    public static IEndpointRouteBuilder MapDashboardExports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/operations/{code}/export")
            .RequireAuthorization(Policies.Dashboard)
            .CacheOutput(CachePolicy)
            .ExcludeFromDescription();
        group.MapGet("/countries.csv", async Task<IResult> (string code, string? region, AggregateCache cache, CancellationToken ct) =>
        {
            if (!RegionFilter.TryParse(region, out var filter))
            {
                return ApiProblems.UnknownRegion(region!);
            }

            if (await cache.GetAsync(code, ct) is not { } aggregate)
            {
                return ApiProblems.OperationNotFound(code);
            }

            var csv = new StringWriter();
            AggregateCsv.WriteCountries(aggregate.Operation.DataSet, aggregate.Countries.Where(c => filter is null || c.Country.Region == filter), csv);
            return Download(csv.ToString(), $"{code}-countries.csv");
        });
        group.MapGet("/timeline.csv", async Task<IResult> (string code, AggregateCache cache, CancellationToken ct) =>
        {
            if (await cache.GetAsync(code, ct) is not { } aggregate)
            {
                return ApiProblems.OperationNotFound(code);
            }

            var csv = new StringWriter();
            AggregateCsv.WriteTimeline(aggregate, csv);
            return Download(csv.ToString(), $"{code}-timeline.csv");
        });
        return routes;
    }

    private static IResult Download(string csv, string fileName) =>
        Results.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", fileName);
}

/// <summary>
/// Serves a rendered page again until the figures change: the cache key includes the query string, the signed-in
/// user and <see cref="AggregateCache.Generation"/>, which every committed write raises: at once when it was made here,
/// within Cache:RefreshMilliseconds when another instance made it (<see cref="AggregateCacheRefresh"/>). Pages that set a
/// cookie or answer anything but 200 are not stored. The built-in default policy would refuse signed-in requests outright.
/// </summary>
internal sealed class RenderedPageCache : IOutputCachePolicy
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        var cacheable = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = Lifetime;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["user"] = context.HttpContext.User.Identity?.Name ?? string.Empty;
        context.CacheVaryByRules.VaryByValues["generation"] =
            context.HttpContext.RequestServices.GetRequiredService<AggregateCache>().Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}
