using System.Globalization;

namespace Liberterra.Bench;

/// <summary>
/// Helpers for bench/run.sh (see docs/performance.md):
///   prepare          --database PATH --seed DIR          migrate and seed a database, as the app does at start-up
///   fill-history     --database PATH --versions N        append return versions until ReturnVersions holds N rows
///   aggregate-timing --database PATH [--database PATH2 ...] --iterations N [--operation CODE]
///                                                        time the uncached roll-up of one operation and print the median;
///                                                        with several databases, their iterations alternate
/// and for bench/ingest.sh (see <see cref="Ingest"/>): ingest-setup, ingest, sqlite-ceiling.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage:
          Liberterra.Bench prepare          --database PATH --seed DIR
          Liberterra.Bench fill-history     --database PATH --versions N
          Liberterra.Bench aggregate-timing --database PATH [--database PATH ...] --iterations N [--operation CODE]
          Liberterra.Bench ingest-setup     --database PATH --clients N --keys FILE
          Liberterra.Bench ingest           --url URL --keys FILE --per-client N --round R
          Liberterra.Bench sqlite-ceiling   --directory DIR --commits N
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !TryParseOptions(args.AsSpan(1), out var options, out var databases))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            switch (args[0])
            {
                case "prepare" when options.TryGetValue("database", out var database) && options.TryGetValue("seed", out var seed):
                    await Prepare.RunAsync(Path.GetFullPath(database), Path.GetFullPath(seed));
                    return 0;
                case "fill-history" when options.TryGetValue("database", out var database) && TryGetPositive(options, "versions", out var versions):
                    FillHistory.Run(ExistingDatabase(database), versions);
                    return 0;
                case "aggregate-timing" when databases.Count > 0 && TryGetPositive(options, "iterations", out var iterations):
                    await AggregateTiming.RunAsync(
                        databases.Select(ExistingDatabase).ToList(), iterations, options.GetValueOrDefault("operation", "liberterra-iii"));
                    return 0;
                case "ingest-setup" when options.TryGetValue("database", out var database) && TryGetPositive(options, "clients", out var clients)
                    && options.TryGetValue("keys", out var keys):
                    await Ingest.SetupAsync(ExistingDatabase(database), clients, Path.GetFullPath(keys));
                    return 0;
                case "ingest" when options.TryGetValue("url", out var url) && options.TryGetValue("keys", out var keys)
                    && TryGetPositive(options, "per-client", out var perClient) && int.TryParse(options.GetValueOrDefault("round"), out var round) && round >= 0:
                    await Ingest.RunAsync(new Uri(url), Path.GetFullPath(keys), perClient, round);
                    return 0;
                case "sqlite-ceiling" when options.TryGetValue("directory", out var directory) && TryGetPositive(options, "commits", out var commits):
                    Ingest.SqliteCeiling(Path.GetFullPath(directory), commits);
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
    /// "--name value" pairs, each name at most once, except --database, which aggregate-timing takes repeatedly:
    /// <paramref name="options"/> holds its first value and <paramref name="databases"/> all of them, in order.
    /// </summary>
    private static bool TryParseOptions(ReadOnlySpan<string> args, out Dictionary<string, string> options, out List<string> databases)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        databases = [];
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
            if (name == "database")
            {
                databases.Add(args[i + 1]);
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

    /// <summary>SQLite would quietly create a missing file; a benchmark of an empty database would be meaningless.</summary>
    private static string ExistingDatabase(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new BenchException($"{full} does not exist; run 'prepare' first.");
    }
}

internal sealed class BenchException(string message) : Exception(message);
