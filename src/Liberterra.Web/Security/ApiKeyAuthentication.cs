using System.Security.Claims;
using System.Text.Encodings.Web;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Errors;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Security;

/// <summary>
/// Clients send their key in X-Api-Key. The key is hashed and looked up in the database, whose answer each instance
/// trusts for under a second (<see cref="VerifiedCredentials"/>): a revoked key stops working within 1 s on every instance,
/// and a request with a known key costs no database read. Policies: <see cref="Policies.Read"/> (any key; anonymous too where
/// Security:AllowAnonymousReads is on), <see cref="Policies.Write"/> (national units and admins) and
/// <see cref="Policies.Admin"/>. A national unit's country is checked by the endpoints themselves.
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string CountryClaim = "liberterra:country";

    public static WebApplicationBuilder AddApiKeyAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<SecuritySettings>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddSingleton(services => new VerifiedCredentials<string, ActiveKey>(hash => FindActiveKeyAsync(services, hash), TimeProvider.System));
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        builder.Services.AddSingleton<IAuthorizationHandler, AnonymousReadsHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, policy => policy.AddRequirements(new ReadRequirement()))
            .AddPolicy(Policies.Write, policy => policy.RequireRole(RoleNames.NationalUnit, RoleNames.Admin))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(RoleNames.Admin));
        return builder;
    }

    public static long? KeyId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Role? Role(this ClaimsPrincipal user) =>
        RoleNames.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    /// <summary>The country a national unit is bound to; null for every other caller.</summary>
    public static string? BoundCountry(this ClaimsPrincipal user) =>
        user.Role() == Core.Security.Role.NationalUnit ? user.FindFirstValue(CountryClaim) : null;

    /// <summary>Whether this caller may see or write the given country's returns.</summary>
    public static bool MayAccessCountry(this ClaimsPrincipal user, string country) =>
        user.BoundCountry() is not { } bound || string.Equals(bound, country, StringComparison.Ordinal);

    private static readonly CompiledPerModel<Func<LiberterraDbContext, string, CancellationToken, Task<ActiveKey?>>> FindActiveKey = new(() =>
        EF.CompileAsyncQuery((LiberterraDbContext db, string hash, CancellationToken _) =>
            db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null)
                .Select(k => new ActiveKey(k.Id, k.Role, k.Country, k.Label))
                .SingleOrDefault()));

    // Its own scope, not the request's: requests for the same key wait on one read, which outlives whichever started it.
    private static async Task<ActiveKey?> FindActiveKeyAsync(IServiceProvider services, string hash)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        return await FindActiveKey.For(db)(db, hash, CancellationToken.None);
    }

    private sealed class ApiKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VerifiedCredentials<string, ActiveKey> keys, ApiKeyUsage usage)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(HeaderName, out var values))
            {
                return AuthenticateResult.NoResult();
            }

            var key = values.Count == 1 ? values[0] : null;
            if (!ApiKeys.LooksValid(key))
            {
                return AuthenticateResult.Fail("The API key is not valid.");
            }

            // Cached by hash alone: the key itself is a secret, and is never kept or logged.
            var record = await keys.GetAsync(ApiKeys.Hash(key!), Context.RequestAborted);
            if (record is null)
            {
                return AuthenticateResult.Fail("The API key is not valid.");
            }

            await usage.RecordAsync(Context.RequestServices, record.Id, Context.RequestAborted);
            List<Claim> claims =
            [
                new(ClaimTypes.NameIdentifier, record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new(ClaimTypes.Name, record.Label),
                new(ClaimTypes.Role, record.Role.Name()),
            ];
            if (record.Country is not null)
            {
                claims.Add(new Claim(CountryClaim, record.Country));
            }

            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthentication.Scheme)), ApiKeyAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{HeaderName}\"";
            return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
                $"Send a valid, unrevoked API key in the {HeaderName} header.");
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key's role may not do this.");
    }

    private sealed class ReadRequirement : IAuthorizationRequirement;

    /// <summary>Reads need a key unless anonymous reads are switched on, which appsettings.Development.json does.</summary>
    private sealed class AnonymousReadsHandler(IOptions<SecuritySettings> security) : AuthorizationHandler<ReadRequirement>
    {
        private readonly bool anonymousReads = security.Value.AllowAnonymousReads;

        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadRequirement requirement)
        {
            if (context.User.Identity?.IsAuthenticated == true || anonymousReads)
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}

internal sealed record ActiveKey(long Id, Role Role, string? Country, string Label);
