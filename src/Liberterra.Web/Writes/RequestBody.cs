using Liberterra.Web.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Liberterra.Web.Writes;

/// <summary>
/// Reads a request body within a size limit and of an allowed media type, so an oversized or mistyped body is a
/// 413 or 415 problem before anything parses it. The raw bytes are kept: idempotency compares them.
/// </summary>
public static class RequestBody
{
    public const int ReturnLimit = 256 * 1024;
    public const int BatchLimit = 5 * 1024 * 1024;

    /// <summary>An operation or indicator definition: 100 indicators of 50 options, each labelled in several languages, fit.</summary>
    public const int DefinitionLimit = 1024 * 1024;

    public sealed record Body(byte[] Bytes, string MediaType);

    public static async Task<(Body? Body, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, int limit, IReadOnlyList<string> mediaTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(mediaTypes);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || contentType.MediaType.Value is not { } mediaType
            || !mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problem(request.HttpContext, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the body as {string.Join(" or ", mediaTypes)} in UTF-8."));
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(request.HttpContext, limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(request.HttpContext, limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception)
        {
            return (null, Problem(request.HttpContext, exception.StatusCode, "Unreadable request body", "The request body could not be read."));
        }

        return (new Body(buffer.ToArray(), mediaType.ToLowerInvariant()), null);
    }

    public static ProblemHttpResult Problem(HttpContext context, int status, string title, string detail)
    {
        WriteAudit.Reject(context, $"{title}: {detail}");
        return TypedResults.Problem(title: title, detail: detail, statusCode: status);
    }

    private static ProblemHttpResult TooLarge(HttpContext context, int limit) =>
        Problem(context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {limit / 1024:N0} KB.");
}
