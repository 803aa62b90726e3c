using System.Globalization;

namespace Liberterra.Bench;

/// <summary>
/// Helpers for bench/run.sh (see docs/performance.md):
///   prepare          --database DB --seed DIR            migrate and seed a database, as the app does at start-up
///   fill-history     --database DB --versions N          append return versions until ReturnVersions holds N rows
///   aggregate-timing --database DB [--database DB2 ...] --iterations N [--operation CODE]
///                                                        time the uncached roll-up of one operation and print the median;
///                                                        with several databases, their iterations alternate
/// and for bench/ingest.sh (see <see cref="Ingest"/>): ingest-setup, ingest, sqlite-ceiling, postgres-ceiling; and its batch
/// series (see <see cref="Batch"/>): batch-setup, batch, batch-during, batch-ceiling.
/// DB is a SQLite file's path, or "postgres:" and an Npgsql connection string naming the database (<see cref="BenchDatabase"/>).
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage:
          Liberterra.Bench prepare          --database DB --seed DIR
          Liberterra.Bench fill-history     --database DB --versions N
          Liberterra.Bench aggregate-timing --database DB [--database DB ...] --iterations N [--operation CODE]
          Liberterra.Bench ingest-setup     --database DB --clients N --keys FILE [--operation CODE] [--operations N]
          Liberterra.Bench ingest           --url URL [--url URL ...] --keys FILE --per-client N --round R [--sample-postgres DB]
          Liberterra.Bench sqlite-ceiling   --directory DIR --commits N
          Liberterra.Bench postgres-ceiling --database DB --commits N [--connections N]
          Liberterra.Bench batch-setup      --database DB --keys FILE --countries N --writers N
          Liberterra.Bench batch            --url URL --keys FILE --rows N --format json|csv --kind commit|dry-run|invalid-last --round R --timeout SECONDS
          Liberterra.Bench batch-during     --url URL --keys FILE --rows N --round R --timeout SECONDS
          Liberterra.Bench batch-ceiling    --database DB --keys FILE --rows N --round R
        DB: a SQLite file's path, or postgres:<Npgsql connection string with Database=...>
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !TryParseOptions(args.AsSpan(1), out var options, out var repeated))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            switch (args[0])
            {
                case "prepare" when options.TryGetValue("database", out var database) && options.TryGetValue("seed", out var seed):
                    await Prepare.RunAsync(BenchDatabase.Parse(database, mustExist: false), Path.GetFullPath(seed));
                    return 0;
                case "fill-history" when options.TryGetValue("database", out var database) && TryGetPositive(options, "versions", out var versions):
                    FillHistory.Run(ExistingDatabase(database), versions);
                    return 0;
                case "aggregate-timing" when repeated["database"].Count > 0 && TryGetPositive(options, "iterations", out var iterations):
                    await AggregateTiming.RunAsync(
                        repeated["database"].Select(ExistingDatabase).ToList(), iterations, options.GetValueOrDefault("operation", "liberterra-iii"));
                    return 0;
                case "ingest-setup" when options.TryGetValue("database", out var database) && TryGetPositive(options, "clients", out var clients)
                    && options.TryGetValue("keys", out var keys):
                    await Ingest.SetupAsync(
                        ExistingDatabase(database), clients, Path.GetFullPath(keys), options.GetValueOrDefault("operation", Ingest.OperationCode),
                        options.ContainsKey("operations") ? (TryGetPositive(options, "operations", out var operations) ? operations : throw new BenchException("--operations must be a positive number.")) : 1);
                    return 0;
                case "ingest" when repeated["url"].Count > 0 && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "per-client", out var perClient) && int.TryParse(options.GetValueOrDefault("round"), out var round) && round >= 0:
                    await Ingest.RunAsync(
                        repeated["url"].Select(url => new Uri(url)).ToList(), Path.GetFullPath(keys), perClient, round,
                        options.TryGetValue("sample-postgres", out var sample) ? ExistingDatabase(sample) : null);
                    return 0;
                case "sqlite-ceiling" when options.TryGetValue("directory", out var directory) && TryGetPositive(options, "commits", out var commits):
                    Ingest.SqliteCeiling(Path.GetFullPath(directory), commits);
                    return 0;
                case "postgres-ceiling" when options.TryGetValue("database", out var database) && TryGetPositive(options, "commits", out var commits):
                    var ceilingDatabase = ExistingDatabase(database);
                    if (!ceilingDatabase.IsPostgres)
                    {
                        throw new BenchException("postgres-ceiling needs --database postgres:<connection string>.");
                    }

                    await Ingest.PostgresCeilingAsync(
                        ceilingDatabase, commits,
                        options.ContainsKey("connections") ? (TryGetPositive(options, "connections", out var connections) ? connections : throw new BenchException("--connections must be a positive number.")) : 1);
                    return 0;
                case "batch-setup" when options.TryGetValue("database", out var database) && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "countries", out var countries) && TryGetPositive(options, "writers", out var writers):
                    await Batch.SetupAsync(ExistingDatabase(database), Path.GetFullPath(keys), countries, writers);
                    return 0;
                case "batch" when options.TryGetValue("url", out var url) && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "rows", out var rows) && options.TryGetValue("format", out var format) && Batch.Formats.Contains(format)
                    && options.TryGetValue("kind", out var kind) && Batch.Kinds.Contains(kind) && TryGetRound(options, out var round)
                    && TryGetPositive(options, "timeout", out var timeout):
                    await Batch.RunAsync(new Uri(url), Path.GetFullPath(keys), rows, format, kind, round, TimeSpan.FromSeconds(timeout));
                    return 0;
                case "batch-during" when options.TryGetValue("url", out var url) && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "rows", out var rows) && TryGetRound(options, out var round) && TryGetPositive(options, "timeout", out var timeout):
                    await Batch.DuringAsync(new Uri(url), Path.GetFullPath(keys), rows, round, TimeSpan.FromSeconds(timeout));
                    return 0;
                case "batch-ceiling" when options.TryGetValue("database", out var database) && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "rows", out var rows) && TryGetRound(options, out var round):
                    await Batch.CeilingAsync(ExistingDatabase(database), Path.GetFullPath(keys), rows, round);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (BenchException e)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// "--name value" pairs, each name at most once, except --database (aggregate-timing) and --url (ingest), which may
    /// be repeated: <paramref name="options"/> holds the first value of each name and <paramref name="repeated"/> every
    /// value of those two, in order.
    /// </summary>
    private static bool TryParseOptions(ReadOnlySpan<string> args, out Dictionary<string, string> options, out Dictionary<string, List<string>> repeated)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        repeated = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["database"] = [], ["url"] = [] };
        if (args.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }

            var name = args[i][2..];
            if (repeated.TryGetValue(name, out var values))
            {
                values.Add(args[i + 1]);
                options.TryAdd(name, args[i + 1]);
            }
            else if (!options.TryAdd(name, args[i + 1]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryGetPositive(Dictionary<string, string> options, string name, out int value)
    {
        value = 0;
        return options.TryGetValue(name, out var text)
            && int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    private static bool TryGetRound(Dictionary<string, string> options, out int round) =>
        int.TryParse(options.GetValueOrDefault("round"), NumberStyles.None, CultureInfo.InvariantCulture, out round);

    private static BenchDatabase ExistingDatabase(string value) => BenchDatabase.Parse(value, mustExist: true);
}

internal sealed class BenchException(string message) : Exception(message);
