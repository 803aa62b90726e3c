namespace Liberterra.Core.Countries;

/// <summary>The five regions the project groups countries into. The mapping is the project's own.</summary>
public enum Region
{
    Africa,
    Americas,
    AsiaAndSouthPacific,
    Europe,
    MiddleEastAndNorthAfrica,
}

public static class RegionNames
{
    private static readonly Dictionary<Region, string> Names = new()
    {
        [Region.Africa] = "Africa",
        [Region.Americas] = "Americas",
        [Region.AsiaAndSouthPacific] = "Asia and South Pacific",
        [Region.Europe] = "Europe",
        [Region.MiddleEastAndNorthAfrica] = "Middle East and North Africa",
    };

    // Display names and enum names only: Enum.TryParse would also take "3" or "Africa,Europe" and OR them together.
    private static readonly Dictionary<string, Region> ByName =
        Names.Select(pair => (Name: pair.Value, Region: pair.Key))
            .Concat(Names.Keys.Select(region => (Name: region.ToString(), Region: region)))
            .DistinctBy(pair => pair.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(pair => pair.Name, pair => pair.Region, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<Region> All { get; } = Enum.GetValues<Region>();

    public static string DisplayName(this Region region) => Names[region];

    /// <summary>Accepts the display name ("Asia and South Pacific") or the enum name ("AsiaAndSouthPacific").</summary>
    public static bool TryParse(string? text, out Region region)
    {
        region = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return ByName.TryGetValue(text.Trim(), out region);
    }
}
