namespace Liberterra.Web.Writes;

/// <summary>A JSON response kept as text, so that exactly the same bytes can be replayed for an idempotent retry.</summary>
public sealed record StoredResponse(int StatusCode, string Json, string? Location = null, string? ETag = null, bool Replayed = false) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        if (ETag is not null)
        {
            response.Headers.ETag = ETag;
        }

        if (Replayed)
        {
            response.Headers[Idempotency.ReplayedHeader] = "true";
        }

        return response.WriteAsync(Json, httpContext.RequestAborted);
    }
}
