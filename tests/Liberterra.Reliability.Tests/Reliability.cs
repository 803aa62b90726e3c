using System.Globalization;
using Liberterra.Web.Tests;

// Each test loads the machine on purpose; two at once would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Liberterra.Reliability.Tests;

/// <summary>
/// The short form of each test runs in CI; LIBERTERRA_RELIABILITY=long selects the long form. Figures are printed as
/// one line starting with "RELIABILITY ", so a script can collect them.
/// </summary>
internal static class Reliability
{
    public const string ModeVariable = "LIBERTERRA_RELIABILITY";
    public const string SeedVariable = "LIBERTERRA_RELIABILITY_SEED";

    public static bool IsLong => Environment.GetEnvironmentVariable(ModeVariable) == "long";

    public static string Provider => TestDatabase.Provider.ToString().ToLowerInvariant();

    /// <summary>A random seed, or the one in LIBERTERRA_RELIABILITY_SEED to replay a failure; printed either way.</summary>
    public static int Seed(ITestOutputHelper output)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var given)
            ? given
            : Random.Shared.Next();
        output.WriteLine($"seed={seed} (replay with {SeedVariable}={seed})");
        return seed;
    }

    public static void Report(ITestOutputHelper output, FormattableString figures) =>
        output.WriteLine("RELIABILITY " + figures.ToString(CultureInfo.InvariantCulture));
}
