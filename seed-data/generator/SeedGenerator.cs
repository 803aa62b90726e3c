using System.Globalization;
using System.Text;

namespace Liberterra.SeedData;

/// <summary>
/// Builds the seed files for the three Liberterra operations. Published totals are reproduced
/// exactly; how they split across countries and days was never published, so that split is an
/// illustrative, deterministic allocation (same input, same bytes, on any machine and runtime).
/// </summary>
public static class SeedGenerator
{
    /// <summary>
    /// Generates every seed file, checked against all invariants first.
    /// </summary>
    /// <param name="countriesCsvPath">Path to seed-data/countries.csv.</param>
    /// <returns>File contents keyed by path relative to seed-data/ (e.g. "returns/liberterra-iii.csv").</returns>
    /// <exception cref="SeedInvariantException">The data would break an invariant.</exception>
    public static IReadOnlyDictionary<string, string> Generate(string countriesCsvPath) =>
        GenerateWithSummary(countriesCsvPath).Files;

    internal static (IReadOnlyDictionary<string, string> Files, string Summary) GenerateWithSummary(string countriesCsvPath)
    {
        var countries = CountryCatalog.Load(countriesCsvPath);
        Operation[] operations =
        [
            LiberterraThree.Build(countries),
            WholeOperationReturns.LiberterraII(),
            WholeOperationReturns.LiberterraI(),
        ];

        Invariants.Check(countries, operations);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["operations.json"] = Rendering.OperationsJson(operations),
        };
        foreach (var operation in operations)
        {
            files[operation.ReturnsFile] = Rendering.ReturnsCsv(operation);
        }

        return (files, Summarise(operations));
    }

    private static string Summarise(IEnumerable<Operation> operations)
    {
        var text = new StringBuilder();
        foreach (var operation in operations)
        {
            text.Append(CultureInfo.InvariantCulture, $"{operation.Code}: {operation.Participants.Count} participants, {operation.Rows.Count} rows\n");
            foreach (var metric in Metrics.All.Where(m => operation.Rows.Any(r => r[m] is not null)))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {Metrics.ColumnName(metric),-42} {Invariants.Total(operation, metric),8}");
                if (metric == Metrics.Stock)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  (stock; summed over days it would wrongly be {Invariants.NaiveSumOverDays(operation, metric)})");
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
