namespace Liberterra.SeedData;

internal sealed record Country(string Alpha2, string Alpha3, string Name, string Region);

/// <summary>countries.csv: the 249 ISO 3166-1 entries with the project's own region mapping.</summary>
internal sealed class CountryCatalog
{
    public const string Header = "alpha2,alpha3,name,region";

    public static readonly IReadOnlyList<string> Regions =
        ["Africa", "Americas", "Asia and South Pacific", "Europe", "Middle East and North Africa"];

    private readonly Dictionary<string, Country> byAlpha3;

    private CountryCatalog(IReadOnlyList<Country> countries)
    {
        All = countries;
        byAlpha3 = countries.ToDictionary(c => c.Alpha3, StringComparer.Ordinal);
    }

    public IReadOnlyList<Country> All { get; }

    public bool Contains(string alpha3) => byAlpha3.ContainsKey(alpha3);

    public Country this[string alpha3] =>
        byAlpha3.TryGetValue(alpha3, out var country)
            ? country
            : throw new SeedInvariantException($"{alpha3} is not an ISO 3166-1 alpha-3 code in countries.csv");

    /// <summary>
    /// Reads and checks countries.csv. Every other file refers to it, so a malformed table is
    /// rejected here rather than producing seed data with dangling country codes.
    /// </summary>
    public static CountryCatalog Load(string path)
    {
        var records = Csv.Parse(File.ReadAllText(path));
        var problems = new List<string>();
        if (records.Count == 0 || string.Join(',', records[0]) != Header)
        {
            throw new SeedInvariantException($"{path}: header must be exactly '{Header}'");
        }

        var countries = new List<Country>();
        foreach (var (fields, line) in records.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (fields.Count != 4)
            {
                problems.Add($"line {line}: expected 4 fields, found {fields.Count}");
                continue;
            }

            var country = new Country(fields[0], fields[1], fields[2], fields[3]);
            if (country.Alpha2.Length != 2 || !country.Alpha2.All(char.IsAsciiLetterUpper))
            {
                problems.Add($"line {line}: bad alpha-2 '{country.Alpha2}'");
            }

            if (country.Alpha3.Length != 3 || !country.Alpha3.All(char.IsAsciiLetterUpper))
            {
                problems.Add($"line {line}: bad alpha-3 '{country.Alpha3}'");
            }

            if (string.IsNullOrWhiteSpace(country.Name))
            {
                problems.Add($"line {line}: empty name");
            }

            if (!Regions.Contains(country.Region))
            {
                problems.Add($"line {line}: unknown region '{country.Region}'");
            }

            countries.Add(country);
        }

        if (countries.Count != 249)
        {
            problems.Add($"expected the 249 ISO 3166-1 entries, found {countries.Count}");
        }

        problems.AddRange(countries.GroupBy(c => c.Alpha2).Where(g => g.Count() > 1).Select(g => $"duplicate alpha-2 {g.Key}"));
        problems.AddRange(countries.GroupBy(c => c.Alpha3).Where(g => g.Count() > 1).Select(g => $"duplicate alpha-3 {g.Key}"));
        if (!countries.Select(c => c.Alpha3).SequenceEqual(countries.Select(c => c.Alpha3).Order(StringComparer.Ordinal)))
        {
            problems.Add("rows must be sorted by alpha3");
        }

        return problems.Count == 0
            ? new CountryCatalog(countries)
            : throw new SeedInvariantException($"{path} is invalid:\n  " + string.Join("\n  ", problems));
    }
}
