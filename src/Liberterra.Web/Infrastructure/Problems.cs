namespace Liberterra.Web.Infrastructure;

/// <summary>Writes an RFC 9457 problem from places that have no endpoint result to return (authentication, rate limiting).</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        WriteAudit.Reject(context, title + ": " + detail);

        // As an endpoint's problem result, not IProblemDetailsService.WriteAsync, which throws (a 500) when the client's
        // Accept header rules out JSON, e.g. an unauthenticated "Accept: text/csv" request for the countries table.
        return TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
    }
}
