using Liberterra.Core.Countries;

namespace Liberterra.Core.Csv;

/// <summary>Reads <c>seed-data/countries.csv</c>: <c>alpha2,alpha3,name,region</c>.</summary>
public static class CountriesCsv
{
    private static readonly string[] Header = ["alpha2", "alpha3", "name", "region"];

    /// <exception cref="FormatException">The header differs, a row is incomplete, or a row names an unknown region.</exception>
    public static IReadOnlyList<Country> Read(TextReader reader)
    {
        var records = CsvText.Parse(reader);
        if (records.Count == 0 || !records[0].SequenceEqual(Header, StringComparer.Ordinal))
        {
            throw new FormatException($"countries.csv must start with the header {string.Join(',', Header)}.");
        }

        return records.Skip(1).Select((fields, i) =>
            fields is [var alpha2, var alpha3, var name, var regionText]
                && alpha2.Length == 2 && alpha3.Length == 3 && name.Length > 0 && RegionNames.TryParse(regionText, out var region)
                ? new Country(alpha2, alpha3, name, region)
                : throw new FormatException($"countries.csv row {i + 1} is invalid: {string.Join(',', fields)}")).ToList();
    }
}
