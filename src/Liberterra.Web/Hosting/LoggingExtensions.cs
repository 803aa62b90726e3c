using System.Diagnostics;
using Liberterra.Core.Security;
using Liberterra.Web.Security;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Liberterra.Web.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// The request line: what was asked, how it ended, and who asked. Never the body, the query string or a key.
    /// ":l" writes a text as it is, where Serilog would otherwise quote it in the rendered message.
    /// </summary>
    public const string RequestTemplate =
        "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.000} ms (trace {TraceId:l}, key {KeyId}, role {Role:l})";

    /// <summary>
    /// Serilog as the host's logger (Serilog.AspNetCore): readable console lines in Development, one JSON object per line
    /// elsewhere, in Serilog's compact format ("@t" time, "@m" message, "@l" level when not Information, then the
    /// properties), which cost a fifth less CPU per request line than Serilog's older JSON format (docs/performance.md).
    /// Levels come from the "Serilog" configuration section. The server writes the console through Serilog.Sinks.Async,
    /// so a request never waits for the terminal or the pipe behind it; a command writes straight to stderr, because
    /// stdout carries the command's own output and it exits as soon as it is done. Other Microsoft.Extensions.Logging
    /// providers still receive every event (the tests add one to read the log). The static Log.Logger is left alone: it
    /// is one per process, and the tests run many apps in one.
    /// </summary>
    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder, bool toStandardError = false)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (_, configuration) =>
            {
                configuration.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
                if (toStandardError)
                {
                    Console(configuration.WriteTo, development, LogEventLevel.Verbose);
                }
                else
                {
                    configuration.WriteTo.Async(sink => Console(sink, development, standardErrorFrom: null));
                }
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    private static void Console(LoggerSinkConfiguration sink, bool development, LogEventLevel? standardErrorFrom)
    {
        if (development)
        {
            sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: standardErrorFrom);
        }
        else
        {
            sink.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: standardErrorFrom);
        }
    }

    /// <summary>
    /// One log line per request (<see cref="RequestTemplate"/>), written by Serilog.AspNetCore when the response is done,
    /// so the caller's key id and role are known by then: null for an anonymous request, and a dashboard user has a role
    /// but no key id.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The app's own logger, not Serilog's static one, which is shared by every app in the process.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = RequestTemplate;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("TraceId", Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
                diagnostics.Set("KeyId", http.User.KeyId());
                diagnostics.Set("Role", http.User.Role()?.Name());
            };
        });
}
