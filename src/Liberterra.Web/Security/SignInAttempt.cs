using System.Security.Claims;

namespace Liberterra.Web.Security;

/// <summary>The outcome of <see cref="UserSignIn.AttemptAsync"/>: a principal for the cookie, a refusal, or "wait".</summary>
public sealed record SignInAttempt(ClaimsPrincipal? Principal, TimeSpan? RetryAfter)
{
    public static readonly SignInAttempt Refused = new(null, null);

    public static SignInAttempt SignedIn(ClaimsPrincipal principal) => new(principal, null);

    public static SignInAttempt Throttled(TimeSpan retryAfter) => new(null, retryAfter);
}
