using System.Net;
using System.Text;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>`keys issue|list|revoke`, run against the app's own services (and so its database), as the executable does.</summary>
public sealed class KeysCommandTests(WriteApiFixture fixture) : IClassFixture<WriteApiFixture>
{
    private sealed record Run(int ExitCode, string Output, string Error);

    private async Task<Run> RunAsync(params string[] args)
    {
        _ = fixture.App.Services;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KeysCommand.RunAsync(fixture.App.Services, ["keys", .. args], output, error);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<string> IssueAsync(string role, string? country, string label)
    {
        var run = country is null
            ? await RunAsync("issue", "--role", role, "--label", label)
            : await RunAsync("issue", "--role", role, "--country", country, "--label", label);
        run.ExitCode.Should().Be(0, run.Error);
        return Lines(run.Output).Should().ContainSingle().Subject;
    }

    private Task<long> IdOfAsync(string key) => fixture.App.KeyIdAsync(key);

    [Fact]
    public async Task IssuingAKeyPrintsOnlyTheKeyOnStdoutAndItWorksForAWrite()
    {
        var run = await RunAsync("issue", "--role", "national-unit", "--country", "ESP", "--label", "NCB Madrid");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().EndWith(Environment.NewLine);
        var lines = run.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle("a script captures the key from stdout");
        var key = lines[0];
        key.Should().StartWith("lbt_").And.HaveLength(key.Trim().Length);
        ApiKeys.LooksValid(key).Should().BeTrue();
        run.Error.Should().NotBeNullOrWhiteSpace("everything but the key goes to stderr")
            .And.Contain("NCB Madrid").And.NotContain(key);

        var code = await fixture.NewOperationAsync();
        var response = await PostReturnAsync(fixture.App.ClientWithKey(key), code, Return("ESP", "2026-11-02"));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var history = await fixture.Admin.GetJsonAsync($"{ReturnAt(code, "ESP", "2026-11-02")}/history");
        history.GetProperty("versions")[0].GetProperty("submittedBy").GetProperty("label").GetString().Should().Be("NCB Madrid");
        history.GetProperty("versions")[0].GetProperty("submittedBy").GetProperty("keyId").GetInt64().Should().Be(await IdOfAsync(key));
        var foreign = await PostReturnAsync(fixture.App.ClientWithKey(key), code, Return("FRA", "2026-11-02"));
        foreign.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the key is bound to Spain");
    }

    [Fact]
    public async Task AnAdminAndAnAnalystKeyAreIssuedWithTheirRoles()
    {
        var admin = await IssueAsync("admin", null, "Ops desk");
        var analyst = await IssueAsync("analyst", null, "Research");

        (await fixture.App.ClientWithKey(admin).GetAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fixture.App.ClientWithKey(analyst).GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fixture.App.ClientWithKey(analyst).GetAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheDatabaseHoldsOnlyAHashOfTheKey()
    {
        var key = await IssueAsync("national-unit", "FRA", "NCB Paris, night desk");
        (await fixture.App.ClientWithKey(key).GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var scope = fixture.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
            var record = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Label == "NCB Paris, night desk");
            record.KeyHash.Should().Be(ApiKeys.Hash(key)).And.NotContain(key);
            record.Role.Should().Be(Role.NationalUnit);
            record.Country.Should().Be("FRA");
        }

        var tables = await fixture.App.Database.TablesAsync();
        tables.Should().Contain("ApiKeys");
        var secret = key["lbt_".Length..];
        await using var connection = await fixture.App.Database.OpenAsync();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    var value = reader.IsDBNull(column) ? null : reader.GetValue(column);
                    var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    (text ?? string.Empty).Should().NotContain(secret, $"{table}.{reader.GetName(column)} must not hold the key");
                }
            }
        }

        // On SQLite the files themselves are checked too, WAL included; PostgreSQL's files belong to the server.
        var files = fixture.App.Database.SqlitePath is { } path ? new[] { path, path + "-wal" } : [];
        foreach (var file in files.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Encoding.Latin1.GetString(copy.ToArray()).Should().NotContain(secret, $"{Path.GetFileName(file)} must not hold the key");
        }
    }

    [Fact]
    public async Task ListingKeysShowsIdRoleCountryAndLabelButNeverTheKey()
    {
        var key = await IssueAsync("national-unit", "SEN", "Dakar liaison");
        var id = await IdOfAsync(key);
        (await fixture.App.ClientWithKey(key).GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.OK);

        var run = await RunAsync("list");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().NotContain(key).And.NotContain(key["lbt_".Length..]).And.NotContain(ApiKeys.Hash(key));
        run.Output.Should().NotContain(fixture.SpainKey).And.NotContain(fixture.AdminKey);
        var lines = Lines(run.Output);
        var header = lines[0];
        header.Should().Contain("id").And.Contain("role").And.Contain("country").And.Contain("label")
            .And.Contain("created").And.Contain("last used").And.Contain("revoked");
        var row = lines.Should().ContainSingle(line => line.EndsWith("Dakar liaison", StringComparison.Ordinal)).Subject;
        var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        fields[0].Should().Be(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fields[1].Should().Be("national-unit");
        fields[2].Should().Be("SEN");
        row.Should().Contain(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "created and last used are shown");
        lines.Should().Contain(line => line.EndsWith(ApiDrill.AnalystLabel, StringComparison.Ordinal) && line.Contains("analyst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARevokedKeyFailsWith401WithinASecond()
    {
        var key = await IssueAsync("national-unit", "ESP", "Madrid, to be revoked");
        var client = fixture.App.ClientWithKey(key);
        var code = await fixture.NewOperationAsync();
        (await PostReturnAsync(client, code, Return("ESP", "2026-11-02"))).StatusCode.Should().Be(HttpStatusCode.Created);
        var id = await IdOfAsync(key);

        var revoke = await RunAsync("revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        revoke.ExitCode.Should().Be(0, revoke.Error);
        revoke.Output.Should().BeEmpty();
        revoke.Error.Should().Contain(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("within 1 s");
        await Revocation.PastTheBoundAsync();
        var write = await PostReturnAsync(client, code, Return("ESP", "2026-11-02", arrests: 9));
        await write.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        (await client.GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await fixture.Admin.GetJsonAsync(ReturnAt(code, "ESP", "2026-11-02"))).GetProperty("version").GetInt32().Should().Be(1);

        var list = await RunAsync("list");
        var row = Lines(list.Output).Single(line => line.EndsWith("Madrid, to be revoked", StringComparison.Ordinal));
        row.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().HaveCount(7)
            .And.Subject.ElementAt(5).Should().NotBe("-", "the list shows when the key was revoked");

        var again = await RunAsync("revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        again.ExitCode.Should().NotBe(0);
        again.Error.Should().Contain("already revoked");
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("issue", "--role")]
    [InlineData("issue", "--role", "national-unit", "--country", "ESP", "--label", "x", "--extra", "y")]
    [InlineData("list", "everything")]
    [InlineData("revoke")]
    public async Task BadUsageFailsWithTheUsageOnStderrAndNothingOnStdout(params string[] args)
    {
        var keysBefore = await CountKeysAsync();

        var run = await RunAsync(args);

        run.ExitCode.Should().NotBe(0);
        run.Output.Should().BeEmpty("stdout carries only an issued key");
        run.Error.Should().Contain("usage").And.Contain("keys issue").And.Contain("keys list").And.Contain("keys revoke");
        (await CountKeysAsync()).Should().Be(keysBefore);
    }

    [Theory]
    [InlineData]
    [InlineData("--role", "wizard", "--label", "x")]
    [InlineData("--role", "national-unit", "--label", "no country")]
    [InlineData("--role", "admin", "--country", "ESP", "--label", "admin with a country")]
    [InlineData("--role", "national-unit", "--country", "XXX", "--label", "unknown country")]
    [InlineData("--role", "national-unit", "--country", "ESP")]
    [InlineData("--role", "national-unit", "--country", "ESP", "--label", "  ")]
    public async Task AnInvalidIssueFailsWithAReasonOnStderrAndIssuesNothing(params string[] options)
    {
        var keysBefore = await CountKeysAsync();

        var run = await RunAsync(["issue", .. options]);

        run.ExitCode.Should().NotBe(0);
        run.Output.Should().BeEmpty();
        run.Error.Should().NotBeNullOrWhiteSpace();
        (await CountKeysAsync()).Should().Be(keysBefore);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("999999")]
    public async Task RevokingSomethingThatIsNotAKeyFails(string id)
    {
        var run = await RunAsync("revoke", id);

        run.ExitCode.Should().NotBe(0);
        run.Output.Should().BeEmpty();
        run.Error.Should().NotBeNullOrWhiteSpace();
    }

    private async Task<int> CountKeysAsync()
    {
        using var scope = fixture.App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().ApiKeys.CountAsync();
    }
}
