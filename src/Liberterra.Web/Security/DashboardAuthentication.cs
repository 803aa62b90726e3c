using System.Globalization;
using System.Security.Claims;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Security;

/// <summary>
/// Analysts and admins sign in to the dashboard and get a cookie. The cookie is its own scheme, not the default, so
/// /api stays API-key only: a browser session can never call the API, and the API needs no anti-forgery.
/// Every page (and any endpoint given <c>.RequireAuthorization(Policies.Dashboard)</c>) needs a signed-in analyst
/// or admin, or nobody at all where Security:AllowAnonymousReads is on. The pages under /Account are open to all.
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "Cookies";
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";

    // Not ClaimTypes.NameIdentifier, which ApiKeyAuthentication.KeyId reads as an API key's id.
    private const string UserIdClaim = "liberterra:user";

    public static WebApplicationBuilder AddDashboardAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<SignInSettings>();
        builder.Services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "liberterra.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.AccessDeniedPath = "/account/denied";
            options.Events.OnValidatePrincipal = EndDisabledUsersSessionAsync;
        });
        builder.Services.AddSingleton(services => new VerifiedCredentials<long, ActiveUser>(id => FindActiveUserAsync(services, id), TimeProvider.System));
        builder.Services.AddSingleton<IAuthorizationHandler, DashboardReadersHandler>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policies.Dashboard, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .AddRequirements(new DashboardReaderRequirement()));
        // Through AddRazorPages, not Configure<RazorPagesOptions>: conventions added before Razor Pages' own options
        // setup are silently lost. AddRazorPages adds its services once however often it is called.
        builder.Services.AddRazorPages(options => options.Conventions
            .AuthorizeFolder("/", Policies.Dashboard)
            .AllowAnonymousToFolder("/Account"));
        builder.Services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        builder.Services.AddSingleton<UserSignIn>();
        return builder;
    }

    /// <summary>What the cookie carries: the user's id, email and role.</summary>
    public static ClaimsPrincipal PrincipalFor(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Claim[] claims =
        [
            new(UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Role, user.Role.Name()),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static bool IsSignedInUser(this ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, AuthenticationType: Scheme };

    // Compiled once (per model, see CompiledPerModel): building the query each time was 60% of a cached page's cost
    // when it ran on every request (docs/performance.md, "Where the signed-in request's time goes").
    private static readonly CompiledPerModel<Func<LiberterraDbContext, long, CancellationToken, Task<ActiveUser?>>> FindActiveUser = new(() =>
        EF.CompileAsyncQuery((LiberterraDbContext db, long id, CancellationToken _) =>
            db.Users.AsNoTracking().Where(u => u.Id == id && u.DisabledAt == null).Select(u => new ActiveUser(u.Id)).SingleOrDefault()));

    // Its own scope, not the request's: requests for the same user wait on one read, which outlives whichever started it.
    private static async Task<ActiveUser?> FindActiveUserAsync(IServiceProvider services, long id)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        return await FindActiveUser.For(db)(db, id, CancellationToken.None);
    }

    // A disabled account loses its session within 1 s on every instance, as a revoked API key stops working, not up to
    // 8 hours later when the cookie expires. An active account's row is read at most twice a second per instance (VerifiedCredentials).
    private static async Task EndDisabledUsersSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = long.TryParse(context.Principal?.FindFirstValue(UserIdClaim), CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
        var users = context.HttpContext.RequestServices.GetRequiredService<VerifiedCredentials<long, ActiveUser>>();
        if (id is null || await users.GetAsync(id.Value, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    private sealed class DashboardReaderRequirement : IAuthorizationRequirement;

    /// <summary>The policy authenticates with the cookie alone, so an API key sent to a page counts for nothing here.</summary>
    private sealed class DashboardReadersHandler(IOptions<SecuritySettings> security) : AuthorizationHandler<DashboardReaderRequirement>
    {
        private readonly bool anonymousReads = security.Value.AllowAnonymousReads;

        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DashboardReaderRequirement requirement)
        {
            if (context.User.IsInRole(RoleNames.Analyst) || context.User.IsInRole(RoleNames.Admin) || anonymousReads)
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>A dashboard account that is not disabled, as <see cref="VerifiedCredentials{TKey, TValue}"/> holds it.</summary>
internal sealed record ActiveUser(long Id);
