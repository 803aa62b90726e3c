using System.Text.Json;
using Liberterra.Web.Tests;

namespace Liberterra.Reliability.Tests;

/// <summary>
/// The promise to national units: once the API has said 2xx, the return exists exactly once, whatever happens next.
/// Many national units write while the app is killed with SIGKILL at a random moment and restarted on the same
/// database, several times over. SIGKILL does not lose the operating system's page cache, so this proves that the app
/// commits before it acknowledges, not that the disk survives a power cut.
/// </summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryAcknowledgedVersionSurvivesRepeatedKillsExactlyOnceAndTheTotalsEqualTheLedger()
    {
        var run = ReliabilityRun.Current;
        var cycles = run.Count(3, 25);
        var seed = run.Seed;
        run.Announce(output);
        var random = new Random(seed);
        using var database = new TestDatabase();
        using var app = new AppProcess(database);
        var admin = await app.IssueKeyAsync("admin");
        var keys = await Api.IssueCountryKeysAsync(app, Api.Countries(run.Count(8, 16)));
        // A few days each, so most writes amend; every unit gets its own Random from the seed.
        var units = keys.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new NationalUnit(k.Key, k.Value, [.. Enumerable.Range(0, 4).Select(d => Api.FirstDay.AddDays(d))], new Random(random.Next())))
            .ToList();
        using var http = Api.NewClient();
        await app.StartAsync();
        await Api.CreateOperationAsync(http, app.BaseAddress, admin, keys.Keys);

        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            if (cycle > 1)
            {
                await app.StartAsync();
            }

            using var stop = new CancellationTokenSource();
            var running = units.Select(unit => unit.RunAsync(http, app.BaseAddress, stop.Token)).ToList();
            await Task.Delay(random.Next(1000, 3001));
            app.Kill();
            await stop.CancelAsync();
            await WithAppLogAsync(app, Task.WhenAll(running));
        }

        await app.StartAsync();
        await WithAppLogAsync(app, Task.WhenAll(units.Select(unit => unit.ResolveInDoubtAsync(http, app.BaseAddress))));

        var (lost, duplicated, problems) = await CompareWithStoredAsync(http, app.BaseAddress, units);
        problems.AddRange(units.SelectMany(unit => unit.Unexpected));
        problems.AddRange(await CompareRollUpsAsync(http, app.BaseAddress, admin, units));
        output.WriteLine($"RELIABILITY crash provider={TestDatabase.Provider} cycles={cycles} clients={units.Count} acknowledged={units.Sum(u => u.Acknowledged)} in_doubt={units.Sum(u => u.InDoubt)} resolved={units.Sum(u => u.Resolved)} resolved_as_replay={units.Sum(u => u.ResolvedAsReplay)} lost={lost} duplicated={duplicated} seed={seed}");

        units.Sum(u => u.Acknowledged).Should().BeGreaterThan(units.Count, "the units wrote before the kills");
        units.Sum(u => u.InDoubt).Should().Be(units.Sum(u => u.Resolved), "every in-doubt write is answered after the restart");
        lost.Should().Be(0);
        duplicated.Should().Be(0);
        problems.Should().BeEmpty();
    }

    /// <summary>An in-doubt write that never gets an answer means the app is down: its output says why.</summary>
    private static async Task WithAppLogAsync(AppProcess app, Task clients)
    {
        try
        {
            await clients;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nThe app's last output:\n{app.Log}", e);
        }
    }

    /// <summary>
    /// Each return's history against the ledger: versions 1..n, each exactly as acknowledged, none the ledger lacks
    /// (every in-doubt write is resolved by now), no write stored twice, and no return the ledger does not know.
    /// </summary>
    private static async Task<(int Lost, int Duplicated, List<string> Problems)> CompareWithStoredAsync(HttpClient http, Uri baseAddress, List<NationalUnit> units)
    {
        int lost = 0, duplicated = 0;
        var problems = new List<string>();
        foreach (var unit in units)
        {
            var current = await Api.GetJsonAsync(http, baseAddress, $"/api/v1/operations/{Api.Operation}/returns?country={unit.Country}", unit.Key);
            var storedDays = current.GetProperty("returns").EnumerateArray().Select(r => DateOnly.Parse(r.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            foreach (var day in storedDays.Where(d => !unit.Ledger.ContainsKey(d)))
            {
                duplicated++;
                problems.Add($"{unit.Country} {day}: stored, never acknowledged");
            }

            foreach (var (day, acknowledged) in unit.Ledger)
            {
                var history = await Api.GetJsonAsync(http, baseAddress, $"/api/v1/operations/{Api.Operation}/returns/{unit.Country}/{day:yyyy-MM-dd}/history", unit.Key);
                var versions = history.GetProperty("versions").EnumerateArray()
                    .Select(v => (Version: v.GetProperty("version").GetInt32(), Figures: Figures.Read(v))).ToList();
                var numbers = versions.Select(v => v.Version).Order().ToList();
                if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)))
                {
                    problems.Add($"{unit.Country} {day}: versions {string.Join(',', numbers)} are not 1..{numbers.Count}");
                }

                foreach (var write in versions.GroupBy(v => v.Figures.Notes).Where(g => g.Count() > 1))
                {
                    duplicated += write.Count() - 1;
                    problems.Add($"{unit.Country} {day}: write {write.Key} stored as versions {string.Join(',', write.Select(v => v.Version))}");
                }

                foreach (var (version, figures) in versions.Where(v => !acknowledged.ContainsKey(v.Version)))
                {
                    duplicated++;
                    problems.Add($"{unit.Country} {day}: version {version} ({figures.Notes}) stored, never acknowledged");
                }

                var stored = versions.ToLookup(v => v.Version, v => v.Figures);
                foreach (var (version, figures) in acknowledged.Where(a => !stored[a.Key].Contains(a.Value)))
                {
                    lost++;
                    problems.Add($"{unit.Country} {day}: acknowledged version {version} ({figures.Notes}) is missing or changed");
                }
            }
        }

        return (lost, duplicated, problems);
    }

    /// <summary>The promise to analysts: /totals and /countries equal the sum of each return's latest acknowledged version.</summary>
    private static async Task<List<string>> CompareRollUpsAsync(HttpClient http, Uri baseAddress, string adminKey, List<NationalUnit> units)
    {
        var latest = units.ToDictionary(u => u.Country, u => u.Ledger.Values.Select(versions => versions[versions.Keys.Max()]).ToList());
        var problems = new List<string>();
        var totals = await Api.GetJsonAsync(http, baseAddress, $"/api/v1/operations/{Api.Operation}/totals", adminKey);
        Compare("totals", totals, latest.Values.SelectMany(f => f).ToList());
        var countries = await Api.GetJsonAsync(http, baseAddress, $"/api/v1/operations/{Api.Operation}/countries", adminKey);
        foreach (var row in countries.GetProperty("countries").EnumerateArray())
        {
            Compare(row.GetProperty("country").GetString()!, row, latest.GetValueOrDefault(row.GetProperty("country").GetString()!) ?? []);
        }

        return problems;

        void Compare(string what, JsonElement rollUp, List<Figures> returns)
        {
            var expected = returns.Count == 0
                ? (null, null, null)
                : ((int?)returns.Sum(f => f.Arrests), (int?)returns.Sum(f => f.VictimsSafeguarded), (int?)returns.Sum(f => f.IrregularMigrants));
            var actual = (Number(rollUp, "arrests"), Number(rollUp, "victimsSafeguarded"), Number(rollUp, "irregularMigrants"));
            if (actual != expected)
            {
                problems.Add($"{what}: (arrests, victims safeguarded, irregular migrants) are {actual}, the ledger's sum is {expected}");
            }
        }

        static int? Number(JsonElement json, string name) => json.GetProperty(name).ValueKind == JsonValueKind.Null ? null : json.GetProperty(name).GetInt32();
    }
}
