using System.Globalization;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Cli;

/// <summary>
/// `keys issue|list|revoke`, run by the app's own executable against the same configuration (and so the same
/// database) as the server. `keys issue` prints the new key alone on stdout so a script can capture it; everything
/// else goes to stderr. The key is shown this once and stored only as a hash.
/// </summary>
public static class KeysCommand
{
    public const string Name = "keys";

    private const string Usage = """
        usage:
          keys issue --role national-unit|analyst|admin [--country ISO3] --label "who holds it"
          keys list
          keys revoke <id>
        """;

    public static bool Matches(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        switch (args)
        {
            case [_, "issue", .. var options]:
                return await IssueAsync(db, options, output, error);
            case [_, "list"]:
                return await ListAsync(db, output);
            case [_, "revoke", var id]:
                return await RevokeAsync(db, id, error);
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> IssueAsync(LiberterraDbContext db, string[] options, TextWriter output, TextWriter error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            values[options[i]] = options[i + 1];
        }

        if (options.Length % 2 != 0 || values.Keys.Any(k => k is not ("--role" or "--country" or "--label")))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (!RoleNames.TryParse(values.GetValueOrDefault("--role"), out var role))
        {
            await error.WriteLineAsync("--role must be national-unit, analyst or admin.");
            return 2;
        }

        var country = values.GetValueOrDefault("--country")?.ToUpperInvariant();
        if ((role == Role.NationalUnit) != (country is not null))
        {
            await error.WriteLineAsync("A national-unit key needs --country (alpha-3); other roles take none.");
            return 2;
        }

        if (country is not null && !await db.Countries.AnyAsync(c => c.Alpha3 == country))
        {
            await error.WriteLineAsync($"'{country}' is not an ISO 3166-1 alpha-3 code.");
            return 2;
        }

        var label = values.GetValueOrDefault("--label")?.Trim();
        if (string.IsNullOrEmpty(label) || label.Length > 200)
        {
            await error.WriteLineAsync("--label is required, at most 200 characters: say who holds the key.");
            return 2;
        }

        var key = ApiKeys.Generate();
        var record = new ApiKeyRecord { Role = role, Country = country, Label = label, KeyHash = ApiKeys.Hash(key), CreatedAt = DateTime.UtcNow };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync();
        await error.WriteLineAsync($"Issued key {record.Id} ({role.Name()}{(country is null ? string.Empty : " " + country)}, \"{label}\"). It is shown once; store it now.");
        await output.WriteLineAsync(key);
        return 0;
    }

    private static async Task<int> ListAsync(LiberterraDbContext db, TextWriter output)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync();
        await output.WriteLineAsync($"{"id",4}  {"role",-13}  {"country",-7}  {"created (UTC)",-16}  {"last used (UTC)",-16}  {"revoked (UTC)",-16}  label");
        foreach (var k in keys)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{k.Id,4}  {k.Role.Name(),-13}  {k.Country ?? "-",-7}  {Time(k.CreatedAt),-16}  {Time(k.LastUsedAt),-16}  {Time(k.RevokedAt),-16}  {k.Label}"));
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(LiberterraDbContext db, string idText, TextWriter error)
    {
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await error.WriteLineAsync($"'{idText}' is not a key id; `keys list` shows them.");
            return 2;
        }

        var revoked = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, DateTime.UtcNow));
        if (revoked == 0)
        {
            await error.WriteLineAsync(await db.ApiKeys.AnyAsync(k => k.Id == id) ? $"Key {id} was already revoked." : $"There is no key {id}.");
            return 1;
        }

        await error.WriteLineAsync($"Revoked key {id}. It stops working within 1 s on every instance.");
        return 0;
    }

    private static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
}
