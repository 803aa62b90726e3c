using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Liberterra.Web.Tests;

/// <summary>
/// The real app on its own SQLite file in a temporary folder, seeded as a new user would see it.
/// Log lines are captured so tests can check what the app writes to its logs.
/// </summary>
public sealed class LiberterraApp : WebApplicationFactory<Program>
{
    private readonly string directory = Directory.CreateTempSubdirectory("liberterra-test-").FullName;

    public string DatabasePath => Path.Combine(directory, "liberterra.db");

    public string EnvironmentName { get; init; } = "Development";

    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Liberterra", $"Data Source={DatabasePath}");
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background task; the OS temp cleaner will take it.
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
    }
}

/// <summary>One seeded app shared by the read-only tests of a class.</summary>
public sealed class SeededApp : IDisposable
{
    public LiberterraApp App { get; } = new();

    public HttpClient Client => App.CreateClient();

    public void Dispose() => App.Dispose();
}
