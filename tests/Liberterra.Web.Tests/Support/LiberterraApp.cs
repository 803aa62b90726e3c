using System.Collections.Concurrent;
using System.Globalization;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Cli;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Liberterra.Web.Tests;

/// <summary>
/// The real app on its own new database (see <see cref="TestDatabase"/>), seeded as a new user would see it.
/// Log lines are captured so tests can check what the app writes to its logs.
/// </summary>
/// <param name="shared">Another app's database, to run a second instance on it; that app keeps ownership.</param>
public sealed class LiberterraApp(TestDatabase? shared = null) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = shared ?? new TestDatabase();

    public string EnvironmentName { get; init; } = "Development";

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>Extra configuration, e.g. a low rate limit for the test that needs one.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>
    /// The app in Production, so every route needs a key or a sign-in, with its rate limit out of the way unless
    /// <paramref name="settings"/> set one.
    /// </summary>
    public static LiberterraApp Production(
        Dictionary<string, string?>? settings = null, TestDatabase? database = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:Burst"] = "100000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new LiberterraApp(database) { EnvironmentName = "Production", Settings = all };
    }

    /// <summary>Issues a key the way `keys issue` does (stored as a hash) and returns the key itself.</summary>
    public async Task<string> IssueKeyAsync(Role role, string? country = null, string? label = null)
    {
        _ = Services; // make sure the app (and so its database) exists
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var key = ApiKeys.Generate();
        db.ApiKeys.Add(new ApiKeyRecord
        {
            Role = role,
            Country = country,
            Label = label ?? $"{role.Name()} {country}".Trim(),
            KeyHash = ApiKeys.Hash(key),
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return key;
    }

    /// <summary>The id `keys list` shows for an issued key.</summary>
    public async Task<long> KeyIdAsync(string key)
    {
        using var scope = Services.CreateScope();
        var hash = ApiKeys.Hash(key);
        return await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().ApiKeys.Where(k => k.KeyHash == hash).Select(k => k.Id).SingleAsync();
    }

    /// <summary>Revokes an issued key with the CLI's `keys revoke`, as an operator would, and checks that it succeeded.</summary>
    public async Task RevokeKeyAsync(string key)
    {
        var id = await KeyIdAsync(key);
        using var output = new StringWriter();
        using var error = new StringWriter();
        (await KeysCommand.RunAsync(Services, ["keys", "revoke", id.ToString(CultureInfo.InvariantCulture)], output, error)).Should().Be(0, error.ToString());
    }

    /// <summary>A client that sends the given key in X-Api-Key.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines)));
    }

    /// <summary>
    /// Program.cs answers bad settings with a line on stderr and exit code 1, before it starts the host, which leaves the
    /// factory a host that never started; checking them here makes such an app throw the same lines instead.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        try
        {
            host.Services.ValidateSettings();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (shared is null)
        {
            Database.Dispose();
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
