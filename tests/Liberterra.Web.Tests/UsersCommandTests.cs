using System.Diagnostics;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Cli;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Web.Tests;

/// <summary>`users add|list|disable`, run against the app's own services (and so its database), as the executable does.</summary>
public sealed class UsersCommandTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Password = "a long enough password";

    private sealed record Run(int ExitCode, string Output, string Error, bool PasswordAsked);

    private async Task<Run> RunAsync(string? password, params string[] args)
    {
        _ = seeded.App.Services;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var asked = false;
        var exitCode = await UsersCommand.RunAsync(seeded.App.Services, ["users", .. args], () =>
        {
            asked = true;
            return password;
        }, output, error);
        return new Run(exitCode, output.ToString(), error.ToString(), asked);
    }

    private static string NewEmail() => $"analyst{Guid.NewGuid():N}@example.org";

    private async Task<List<UserRecord>> UsersAsync()
    {
        using var scope = seeded.App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().Users.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task AddingAUserStoresTheNormalisedEmailTheRoleAndAHashThatVerifies()
    {
        var email = NewEmail();

        var run = await RunAsync(Password, "add", "--role", "admin", "--email", $" {email.ToUpperInvariant()} ");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be($"Added admin {email}.{Environment.NewLine}");
        run.Error.Should().BeEmpty();
        var user = (await UsersAsync()).Should().ContainSingle(u => u.Email == email).Subject;
        user.Role.Should().Be(Role.Admin);
        user.CreatedAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        user.DisabledAt.Should().BeNull();
        user.PasswordHash.Should().NotContain(Password);
        new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, Password).Should().Be(PasswordVerificationResult.Success);
    }

    [Fact]
    public async Task ADuplicateEmailIsRefusedBeforeThePasswordIsAskedFor()
    {
        var email = NewEmail();
        (await RunAsync(Password, "add", "--role", "analyst", "--email", email)).ExitCode.Should().Be(0);

        var again = await RunAsync(Password, "add", "--role", "admin", "--email", email.ToUpperInvariant());

        again.ExitCode.Should().Be(1);
        again.Output.Should().BeEmpty();
        again.Error.Should().Contain($"There is already a user {email}");
        again.PasswordAsked.Should().BeFalse();
        (await UsersAsync()).Where(u => u.Email == email).Should().ContainSingle().Which.Role.Should().Be(Role.Analyst);
    }

    [Fact]
    public async Task ANationalUnitCannotBeAUser()
    {
        var email = NewEmail();

        var run = await RunAsync(Password, "add", "--role", "national-unit", "--email", email);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("analyst or admin").And.Contain("keys issue");
        run.PasswordAsked.Should().BeFalse();
        (await UsersAsync()).Should().NotContain(u => u.Email == email);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("elevenchars")]
    public async Task AMissingOrShortPasswordAddsNobody(string? password)
    {
        var email = NewEmail();

        var run = await RunAsync(password, "add", "--role", "analyst", "--email", email);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        run.Error.Should().NotBeNullOrWhiteSpace();
        (await UsersAsync()).Should().NotContain(u => u.Email == email);
    }

    [Theory]
    [InlineData("--role", "analyst")]
    [InlineData("--role", "analyst", "--email", "not-an-email")]
    [InlineData("--role", "analyst", "--email", "two@example.org three@example.org")]
    [InlineData("--role", "wizard", "--email", "wizard@example.org")]
    [InlineData("--email", "norole@example.org")]
    public async Task AnInvalidAddFailsWithAReasonOnStderrAndAddsNobody(params string[] options)
    {
        var before = (await UsersAsync()).Count;

        var run = await RunAsync(Password, ["add", .. options]);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        run.Error.Should().NotBeNullOrWhiteSpace();
        (await UsersAsync()).Should().HaveCount(before);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("add", "--role")]
    [InlineData("add", "--role", "analyst", "--email", "x@example.org", "--extra", "y")]
    [InlineData("list", "everything")]
    [InlineData("disable")]
    [InlineData("disable", "x@example.org")]
    public async Task BadUsageFailsWithTheUsageOnStderrAndNothingOnStdout(params string[] args)
    {
        var run = await RunAsync(Password, args);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("usage").And.Contain("users add").And.Contain("users list").And.Contain("users disable");
    }

    [Fact]
    public async Task ListingShowsEmailRoleCreatedDisabledAndLockedButNoHash()
    {
        var email = NewEmail();
        (await RunAsync(Password, "add", "--role", "analyst", "--email", email)).ExitCode.Should().Be(0);
        var hash = (await UsersAsync()).Single(u => u.Email == email).PasswordHash;

        var run = await RunAsync(null, "list");

        run.ExitCode.Should().Be(0, run.Error);
        run.PasswordAsked.Should().BeFalse();
        run.Output.Should().NotContain(hash).And.NotContain(Password);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().Contain("email").And.Contain("role").And.Contain("created").And.Contain("disabled").And.Contain("locked");
        var fields = lines.Single(l => l.StartsWith(email, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        fields.Should().HaveCount(6, "email, role, created (date and time), disabled and locked");
        fields[1].Should().Be("analyst");
        fields[2].Should().Be(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        fields[4..].Should().Equal("-", "-");
    }

    [Fact]
    public async Task DisablingAUserRecordsWhenAndIsRefusedTheSecondTime()
    {
        var email = NewEmail();
        (await RunAsync(Password, "add", "--role", "analyst", "--email", email)).ExitCode.Should().Be(0);

        var run = await RunAsync(null, "disable", "--email", email.ToUpperInvariant());

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain($"Disabled {email}");
        (await UsersAsync()).Single(u => u.Email == email).DisabledAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        var listed = (await RunAsync(null, "list")).Output.Split('\n').Single(l => l.StartsWith(email, StringComparison.Ordinal));
        listed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4].Should().NotBe("-");

        var again = await RunAsync(null, "disable", "--email", email);
        again.ExitCode.Should().Be(1);
        again.Error.Should().Contain("already disabled");
        var unknown = await RunAsync(null, "disable", "--email", NewEmail());
        unknown.ExitCode.Should().Be(1);
        unknown.Error.Should().Contain("There is no user");
    }

    /// <summary>The real executable, as an operator's script runs it: the password is piped in on stdin.</summary>
    [Fact]
    public async Task TheExecutableReadsThePasswordFromRedirectedStdinAndPrintsOnlyTheResult()
    {
        using var database = new TestDatabase();
        var directory = Directory.CreateTempSubdirectory("liberterra-users-");
        try
        {
            var add = await ExecutableAsync(directory.FullName, database, $"{Password}\nnot read\n", "users", "add", "--role", "analyst", "--email", "piped@example.org");
            add.ExitCode.Should().Be(0, add.Error);
            add.Output.Should().Be($"Added analyst piped@example.org.{Environment.NewLine}", "logs and prompts go to stderr");

            var list = await ExecutableAsync(directory.FullName, database, string.Empty, "users", "list");
            list.ExitCode.Should().Be(0, list.Error);
            list.Output.Should().Contain("piped@example.org  analyst");

            using var app = new LiberterraApp(database) { EnvironmentName = "Production", Settings = { ["Seed:Enabled"] = "false" } };
            using var signIn = await app.Browser().SignInAsync("piped@example.org", Password);
            signIn.AuthCookieHeader().Should().NotBeNull("the password is the first line of stdin, without its line break");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<Run> ExecutableAsync(string directory, TestDatabase database, string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Seed__Enabled"] = "false",
            },
        };
        foreach (var (key, value) in database.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await error, PasswordAsked: false);
    }
}
