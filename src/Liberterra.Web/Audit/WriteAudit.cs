using System.Security.Claims;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Hosting;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;

namespace Liberterra.Web.Audit;

/// <summary>
/// Every write attempt to /api is audited, accepted or rejected, including those refused before they reach an
/// endpoint (no key, rate limit). Accepted writes save their entry in their own transaction, so an acknowledged
/// write always has one; everything else is recorded here after the response.
/// </summary>
public static partial class WriteAudit
{
    public static IApplicationBuilder UseWriteAudit(this IApplicationBuilder app) => app.UseMiddleware<Middleware>();

    public static WriteAttempt Attempt(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var attempt = context.Features.Get<WriteAttempt>();
        if (attempt is null)
        {
            attempt = new WriteAttempt();
            context.Features.Set(attempt);
        }

        return attempt;
    }

    /// <summary>Notes why a request was refused; the first reason given wins.</summary>
    public static void Reject(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<WriteAttempt>() is { } attempt)
        {
            attempt.Reason ??= reason;
        }
    }

    public static AuditEntryRecord Entry(HttpContext context, WriteAttempt attempt, int statusCode, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        var user = context.User;
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        return new AuditEntryRecord
        {
            At = at,
            KeyId = user.KeyId(),
            KeyLabel = Clip(user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) : null, AuditEntryRecord.LabelLength),
            Role = Clip(user.FindFirstValue(ClaimTypes.Role), AuditEntryRecord.ShortTextLength),
            Action = Clip(endpoint ?? $"{context.Request.Method} {context.Request.Path}", AuditEntryRecord.ShortTextLength)!,
            Operation = Clip(attempt.Operation ?? context.Request.RouteValues["code"]?.ToString(), AuditEntryRecord.ShortTextLength),
            Country = Clip(attempt.Country, AuditEntryRecord.ShortTextLength),
            Period = Clip(attempt.Period, AuditEntryRecord.ShortTextLength),
            Outcome = Clip(attempt.Outcome ?? (statusCode < 400 ? "accepted" : "rejected"), AuditEntryRecord.ShortTextLength)!,
            StatusCode = statusCode,
            Reason = Clip(attempt.Reason, AuditEntryRecord.ReasonLength),
        };
    }

    // Audit fields come partly from client input; clipping, and showing a NUL as U+2400 (PostgreSQL cannot store a NUL),
    // keep a hostile value from failing the audit write itself.
    private static string? Clip(string? value, int length)
    {
        var text = value?.Replace('\0', '\u2400');
        return text is null || text.Length <= length ? text : text[..length];
    }

    private sealed partial class Middleware(RequestDelegate next, IServiceScopeFactory scopes, WriteGate gate, ILogger<Middleware> logger)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
                || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var attempt = Attempt(context);
            var status = StatusCodes.Status500InternalServerError;
            try
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            catch (Exception) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client hung up before an answer, whatever the exception on the way out: nginx's 499, not the 500
                // nobody was sent.
                status = StatusCodes.Status499ClientClosedRequest;
                throw;
            }
            catch (Exception exception) when (DatabaseUnavailable.IsUnavailable(exception))
            {
                // What the client will be told (see DatabaseUnavailable). The entry cannot be saved either, and trying
                // would make the 503 wait for a second database timeout, so it is only logged.
                AuditUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? "/", StatusCodes.Status503ServiceUnavailable, DatabaseUnavailable.Describe(exception));
                attempt.Recorded = true;
                throw;
            }
            finally
            {
                if (!attempt.Recorded)
                {
                    await RecordAsync(context, attempt, status);
                }
            }
        }

        private async Task RecordAsync(HttpContext context, WriteAttempt attempt, int status)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
                db.AuditEntries.Add(Entry(context, attempt, status, DateTime.UtcNow));
                await gate.RunAsync(() => db.SaveChangesAsync(CancellationToken.None), CancellationToken.None);
            }
            catch (Exception exception) when (DatabaseUnavailable.IsUnavailable(exception))
            {
                // Expected for every write during an outage: one line each, not a stack trace each.
                AuditUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? "/", status, DatabaseUnavailable.Describe(exception));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                AuditFailed(logger, exception, context.Request.Method, context.Request.Path.Value ?? "/", status);
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the audit entry for {RequestMethod} {RequestPath} ({StatusCode})")]
        private static partial void AuditFailed(ILogger logger, Exception exception, string requestMethod, string requestPath, int statusCode);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the audit entry for {RequestMethod} {RequestPath} ({StatusCode}): the database is unavailable ({Cause})")]
        private static partial void AuditUnavailable(ILogger logger, string requestMethod, string requestPath, int statusCode, string cause);
    }
}
