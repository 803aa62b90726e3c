using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Liberterra.Core.Security;
using Liberterra.Web.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Tests;

/// <summary>
/// Every setting is a property of a typed settings class, checked before the app or a command starts: a bad value stops
/// it with one line that names the key and says what is allowed, and docs/operations.md lists exactly these keys.
/// </summary>
public sealed class SettingsTests
{
    private const string PostgresExample = "an Npgsql connection string (Host=...;Database=...;Username=...;Password=...)";

    public static TheoryData<string, string?, string?, string?, string> BadValues => new()
    {
        { "RateLimiting:PermitsPerSecond", "abc", null, null, "Setting RateLimiting:PermitsPerSecond is 'abc'; it must be a whole number, 1 or more." },
        { "RateLimiting:PermitsPerSecond", "0", null, null, "Setting RateLimiting:PermitsPerSecond is 0; it must be a whole number, 1 or more." },
        { "RateLimiting:PermitsPerSecond", "99999999999", null, null, "Setting RateLimiting:PermitsPerSecond is '99999999999'; it must be a whole number, 1 or more." },
        {
            "RateLimiting:Burst", "10", null, null,
            "Setting RateLimiting:Burst is 10; it must be at least RateLimiting:PermitsPerSecond (50), since a bucket holds at least one second's permits."
        },
        { "RateLimiting:PermitsPerMinute", "10", null, null, "Setting RateLimiting:PermitsPerMinute is not known; the settings under RateLimiting are PermitsPerSecond, Burst." },
        { "Database:Provider", "Oracle", null, null, "Setting Database:Provider is 'Oracle'; it must be one of Sqlite, Postgres." },
        { "Database:Provider", "7", null, null, "Setting Database:Provider is '7'; it must be one of Sqlite, Postgres." },
        { "Database:Provider", "Postgres", "ConnectionStrings:Liberterra", "", $"Setting ConnectionStrings:Liberterra is not set; with Database:Provider Postgres it must be {PostgresExample}." },
        {
            "Database:Provider", "Sqlite", "ConnectionStrings:Liberterra", "Data Sauce=liberterra.db",
            "Setting ConnectionStrings:Liberterra is not a valid Sqlite connection string (Connection string keyword 'data sauce' is not supported)."
        },
        { "Security:AllowAnonymousReads", "yes", null, null, "Setting Security:AllowAnonymousReads is 'yes'; it must be true or false." },
        { "Seed:Enabled", "", null, null, "Setting Seed:Enabled is ''; it must be true or false." },
        { "Cache:RefreshMilliseconds", "5", null, null, "Setting Cache:RefreshMilliseconds is 5; it must be a whole number, 10 or more." },
        { "SignIn:LockoutMinutes", "0", null, null, "Setting SignIn:LockoutMinutes is 0; it must be a whole number from 1 to 525600." },
        { "SignIn:MaxFailuresPerAccount", "-3", null, null, "Setting SignIn:MaxFailuresPerAccount is -3; it must be a whole number, 1 or more." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void ABadValueStopsTheAppWithOneLineNamingTheKeyAndWhatIsAllowed(string key, string? value, string? otherKey, string? otherValue, string line)
    {
        using var app = new LiberterraApp { Settings = { [key] = value } };
        if (otherKey is not null)
        {
            app.Settings[otherKey] = otherValue;
        }

        var start = () => app.Services;

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(line);
    }

    [Fact]
    public void EveryBadValueGetsItsOwnLine()
    {
        using var app = new LiberterraApp { Settings = { ["RateLimiting:PermitsPerSecond"] = "abc", ["Cache:RefreshMilliseconds"] = "1" } };

        var thrown = Record.Exception(() => app.Services);

        thrown.Should().NotBeNull();
        SettingsExtensions.InvalidSettings(thrown!).Should().BeEquivalentTo(
            "Setting RateLimiting:PermitsPerSecond is 'abc'; it must be a whole number, 1 or more.",
            "Setting Cache:RefreshMilliseconds is 1; it must be a whole number, 10 or more.");
    }

    /// <summary>The real executable, as an operator starts it: the line alone on stderr, nothing on stdout, exit code 1.</summary>
    [Theory]
    [InlineData("RateLimiting__PermitsPerSecond", "abc", "Setting RateLimiting:PermitsPerSecond is 'abc'; it must be a whole number, 1 or more.")]
    [InlineData("Database__Provider", "Oracle", "Setting Database:Provider is 'Oracle'; it must be one of Sqlite, Postgres.")]
    [InlineData("Database__Provider", "Postgres", $"Setting ConnectionStrings:Liberterra is not set; with Database:Provider Postgres it must be {PostgresExample}.")]
    public async Task TheExecutableStopsWithTheLineAloneOnStandardErrorAndExitCode1(string variable, string value, string line)
    {
        var server = await ExecutableAsync(variable, value, "--urls=http://127.0.0.1:0");
        var command = await ExecutableAsync(variable, value, "keys", "list");

        foreach (var run in new[] { server, command })
        {
            run.ExitCode.Should().Be(1, run.Error);
            run.Error.Should().Be(line + Environment.NewLine);
            run.Output.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task ValidSettingsTakeEffect()
    {
        // Development turns anonymous reads on (appsettings.Development.json); a setting turns them off again.
        using var open = new LiberterraApp();
        using var closed = new LiberterraApp
        {
            // A host may add connection strings of its own beside the app's; they are no mistake.
            Settings = { ["Security:AllowAnonymousReads"] = "False", ["Seed:Enabled"] = "false", ["ConnectionStrings:Reporting"] = "Host=elsewhere" },
        };

        (await open.CreateClient().GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await closed.CreateClient().GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var admin = closed.ClientWithKey(await closed.IssueKeyAsync(Role.Admin));
        (await admin.GetJsonAsync("/api/v1/operations")).GetArrayLength().Should().Be(0, "Seed:Enabled=false loads no seed operation");
        closed.Services.GetRequiredService<IOptions<SignInSettings>>().Value.LockoutMinutes.Should().Be(15, "an unset key keeps its default");
    }

    [Fact]
    public async Task RaisingTheRateAloneStartsTheAppWithABucketOfOneSecondsPermits()
    {
        using var app = new LiberterraApp { Settings = { ["RateLimiting:PermitsPerSecond"] = "500" } };

        (await app.CreateClient().GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetRequiredService<IOptions<RateLimitingSettings>>().Value.BucketSize.Should().Be(500, "an unset burst is 100, or the rate when that is larger");
        new RateLimitingSettings().BucketSize.Should().Be(100);
    }

    [Fact]
    public void EverySettingsClassIsCheckedAtStartUp()
    {
        using var app = new LiberterraApp();

        foreach (var type in SettingsClasses())
        {
            var validators = (IEnumerable<object>)app.Services.GetRequiredService(typeof(IEnumerable<>).MakeGenericType(typeof(IValidateOptions<>).MakeGenericType(type)));
            validators.Should().NotBeEmpty($"{type.Name} must be registered with AddSettings");
        }
    }

    /// <summary>docs/operations.md's table lists exactly the settings classes' keys, with their defaults and allowed values.</summary>
    [Fact]
    public void TheOperationsGuideListsEverySettingAndNoOther()
    {
        var rows = DocumentedSettings();
        var properties = SettingsClasses()
            .SelectMany(type => SettingsExtensions.Properties(type).Select(property => (Key: $"{Section(type)}:{property.Name}", Type: type, Property: property)))
            .ToList();

        rows.Keys.Should().BeEquivalentTo(properties.Select(p => p.Key), "docs/operations.md, \"Configuration reference\", lists every setting and no other");
        foreach (var (key, type, property) in properties)
        {
            var row = rows[key];
            if (property.PropertyType != typeof(string))
            {
                row.Allowed.Should().Be(SettingsExtensions.Allowed(property), $"{key}'s allowed values are those the start-up check names");
            }

            var fallback = property.GetValue(Activator.CreateInstance(type));
            if (fallback is not null and not "")
            {
                var text = fallback is bool flag ? (flag ? "true" : "false") : Convert.ToString(fallback, CultureInfo.InvariantCulture);
                row.Default.Should().Contain($"`{text}`", $"{key}'s default is {text}");
            }
        }
    }

    private static IReadOnlyList<Type> SettingsClasses() =>
        typeof(ISettingsSection).Assembly.GetTypes().Where(t => t.IsClass && typeof(ISettingsSection).IsAssignableFrom(t)).ToList() is { Count: > 0 } types
            ? types
            : throw new InvalidOperationException("No settings classes found.");

    private static string Section(Type type) => (string)type.GetProperty(nameof(ISettingsSection.Section), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static Dictionary<string, (string Allowed, string Default)> DocumentedSettings()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "operations.md"));
        var start = Array.IndexOf(lines, "## Configuration reference");
        start.Should().BeGreaterThan(0, "docs/operations.md has a \"Configuration reference\" section");
        var rows = lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToList();
        rows.Should().OnlyContain(cells => cells.Length == 6, "each row has four cells: key, allowed values, default, what it does");
        var keys = rows.Select(cells => cells[1].Trim('`')).ToList();
        keys.Should().OnlyHaveUniqueItems();
        return rows.ToDictionary(cells => cells[1].Trim('`'), cells => (cells[2], cells[3]), StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Liberterra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (Liberterra.sln) was not found above the test output.");
    }

    private static async Task<(int ExitCode, string Output, string Error)> ExecutableAsync(string variable, string value, params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("liberterra-settings-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["ConnectionStrings__Liberterra"] = null,
                    ["Database__Provider"] = null,
                    [variable] = value,
                },
            };
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            try
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, await output, await error);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true); // it started instead of stopping: the assertion fails on the timeout
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
