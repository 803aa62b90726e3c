using System.Diagnostics;
using Serilog;
using Serilog.Formatting.Json;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Liberterra.Web.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog through Microsoft.Extensions.Logging (Serilog.AspNetCore does not restore here): readable console
    /// lines in Development, one JSON object per line elsewhere. Levels come from the "Serilog" configuration section.
    /// </summary>
    /// <param name="toStandardError">For command-line use, where stdout carries the command's own output.</param>
    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder, bool toStandardError = false)
    {
        var standardErrorFrom = toStandardError ? Serilog.Events.LogEventLevel.Verbose : (Serilog.Events.LogEventLevel?)null;
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        configuration = builder.Environment.IsDevelopment()
            ? configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: standardErrorFrom)
            : configuration.WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: standardErrorFrom);

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    /// <summary>One log line per request: method, path, status, elapsed time and trace id. Never the body or the query string.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLoggingMiddleware>();
}

internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            RequestCompleted(logger, context.Request.Method, context.Request.Path.Value ?? "/", status,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, traceId);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {ElapsedMilliseconds:0.000} ms (trace {TraceId})")]
    private static partial void RequestCompleted(ILogger logger, string requestMethod, string requestPath, int statusCode, double elapsedMilliseconds, string traceId);
}
