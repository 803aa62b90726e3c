using Xunit.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// The short form (CI) or the long form (LIBERTERRA_RELIABILITY=long) of a reliability test. The short form uses a fixed
/// seed; the long form a new one each run. Either can be replayed with LIBERTERRA_RELIABILITY_SEED=&lt;the printed seed&gt;.
/// The one switch for every reliability test, in this project and (linked) in Liberterra.Reliability.Tests.
/// </summary>
public sealed record ReliabilityRun(bool IsLong, int Seed)
{
    public const string FormVariable = "LIBERTERRA_RELIABILITY";
    public const string SeedVariable = "LIBERTERRA_RELIABILITY_SEED";

    public static ReliabilityRun Current
    {
        get
        {
            var isLong = string.Equals(Environment.GetEnvironmentVariable(FormVariable), "long", StringComparison.OrdinalIgnoreCase);
            var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var given) ? given
                : isLong ? Random.Shared.Next() : 20_261_101;
            return new ReliabilityRun(isLong, seed);
        }
    }

    public string Form => IsLong ? "long" : "short";

    /// <summary>How much work this form does: <paramref name="shortForm"/> in CI, <paramref name="longForm"/> when run long.</summary>
    public int Count(int shortForm, int longForm) => IsLong ? longForm : shortForm;

    /// <summary>Prints the form and the seed first, so a failure can be replayed even if the test dies before its figures.</summary>
    public void Announce(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"form={Form} seed={Seed} (replay with {SeedVariable}={Seed})");
    }
}
