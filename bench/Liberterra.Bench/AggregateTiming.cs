using System.Diagnostics;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Bench;

/// <summary>
/// Times what a cache miss costs the app: a fresh context (as AggregateCache's new scope gets) and
/// <c>OperationReader.AggregateAsync</c>, which reads the operation and its current returns and rolls them up.
/// The country table is loaded once beforehand, as the cache does. With several databases the iterations alternate
/// between them (ABBA order), so a change in machine speed during the run touches every database alike.
/// Prints, per database, the median, p90 and minimum, plus totals that must match on databases with the same returns.
/// </summary>
internal static class AggregateTiming
{
    public static async Task RunAsync(IReadOnlyList<BenchDatabase> databases, int iterations, string operationCode)
    {
        var targets = new List<Target>();
        foreach (var database in databases)
        {
            targets.Add(await Target.OpenAsync(database).ConfigureAwait(false));
        }

        // Warm-up: JIT, EF Core's query cache and the database's page cache, so the timed runs compare steady states.
        for (var i = 0; i < Math.Max(10, iterations / 5); i++)
        {
            foreach (var target in targets)
            {
                target.Aggregate = await AggregateOnceAsync(target, operationCode).ConfigureAwait(false)
                    ?? throw new BenchException($"no operation has the code '{operationCode}'.");
            }
        }

        for (var i = 0; i < iterations; i++)
        {
            for (var j = 0; j < targets.Count; j++)
            {
                var target = targets[i % 2 == 0 ? j : targets.Count - 1 - j];
                var started = Stopwatch.GetTimestamp();
                await AggregateOnceAsync(target, operationCode).ConfigureAwait(false);
                target.Samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        foreach (var target in targets)
        {
            target.Samples.Sort();
            var totals = target.Aggregate!.Totals;
            Console.WriteLine(
                FormattableString.Invariant($"aggregate-timing database={target.Database.Name} provider={target.Database.Provider} operation={operationCode} ")
                + FormattableString.Invariant($"returns={target.Returns} versions={target.Versions} iterations={iterations} ")
                + FormattableString.Invariant($"median_ms={Percentile(target.Samples, 50):0.000} p90_ms={Percentile(target.Samples, 90):0.000} min_ms={target.Samples[0]:0.000} ")
                + FormattableString.Invariant($"countries_reporting={target.Aggregate.CountriesReporting} arrests={totals["arrests"]} ")
                + FormattableString.Invariant($"victims_safeguarded={totals["victimsSafeguarded"]} officers_deployed={totals["officersDeployed"]}"));
        }
    }

    private static async Task<OperationAggregate?> AggregateOnceAsync(Target target, string operationCode)
    {
        var db = new LiberterraDbContext(target.Options);
        await using (db.ConfigureAwait(false))
        {
            return (await new OperationReader(db).AggregateAsync(operationCode, target.Countries).ConfigureAwait(false))?.Aggregate;
        }
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(List<double> sorted, int percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class Target(BenchDatabase database, DbContextOptions<LiberterraDbContext> options, int returns, int versions, IReadOnlyDictionary<string, Country> countries)
    {
        public BenchDatabase Database { get; } = database;
        public DbContextOptions<LiberterraDbContext> Options { get; } = options;
        public int Returns { get; } = returns;
        public int Versions { get; } = versions;
        public IReadOnlyDictionary<string, Country> Countries { get; } = countries;
        public List<double> Samples { get; } = [];
        public OperationAggregate? Aggregate { get; set; }

        public static async Task<Target> OpenAsync(BenchDatabase database)
        {
            var options = database.Options();
            var db = new LiberterraDbContext(options);
            await using (db.ConfigureAwait(false))
            {
                return new Target(
                    database,
                    options,
                    await db.Returns.CountAsync().ConfigureAwait(false),
                    await db.ReturnVersions.CountAsync().ConfigureAwait(false),
                    await new OperationReader(db).CountriesAsync().ConfigureAwait(false));
            }
        }
    }
}
