using Liberterra.Web.Audit;

namespace Liberterra.Web.Errors;

/// <summary>
/// Writes an RFC 9457 problem from places that have no endpoint result to return (authentication, rate limiting,
/// routes that match nothing). As a <see cref="Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult"/> does, it
/// writes application/problem+json even when the client's Accept header asks for something else (text/csv, say):
/// a refusal must never become a 500 or a bare text error.
/// </summary>
public static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        WriteAudit.Reject(context, title + ": " + detail);
        await TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
    }

    /// <summary>A body for an error status that nothing wrote one for, such as a 404 from a route that matches nothing.</summary>
    public static IApplicationBuilder UseProblemStatusCodePages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context => TypedResults.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
}
