namespace Liberterra.SeedData;

/// <summary>
/// How big a country's illustrative share of each operation is.
/// Only the participant COUNTS were published, never the lists or per-country results, so both
/// are the project's own: a plausible mix across all five regions, weighted toward countries on
/// well-known trafficking and smuggling routes.
/// </summary>
/// <param name="Activity">1–10: size of the enforcement effort (arrests, victims, investigations, officers).</param>
/// <param name="Migration">0–10: exposure to irregular-migration routes; 0 means it reports zero migrants.</param>
internal sealed record CountryProfile(int Activity, int Migration)
{
    /// <summary>
    /// Shares grow with the square of the scale so that a large, route-exposed country outweighs a
    /// small one by an order of magnitude or more, as real operational returns do.
    /// </summary>
    public static long Weight(int scale) => (long)scale * scale;
}

internal static class Participants
{
    public static readonly IReadOnlyDictionary<string, CountryProfile> Profiles = new Dictionary<string, CountryProfile>(StringComparer.Ordinal)
    {
        // Africa
        ["AGO"] = new(4, 2), ["BEN"] = new(5, 1), ["BFA"] = new(5, 2), ["CIV"] = new(6, 3),
        ["CMR"] = new(4, 2), ["COD"] = new(4, 1), ["COG"] = new(3, 1), ["CPV"] = new(2, 2),
        ["ETH"] = new(5, 4), ["GAB"] = new(3, 1), ["GHA"] = new(6, 2), ["GIN"] = new(4, 3),
        ["GMB"] = new(3, 4), ["GNB"] = new(3, 5), ["KEN"] = new(6, 3), ["LBR"] = new(3, 1),
        ["MLI"] = new(5, 5), ["MOZ"] = new(4, 2), ["MRT"] = new(4, 7), ["MUS"] = new(2, 0),
        ["NER"] = new(4, 6), ["NGA"] = new(8, 4), ["RWA"] = new(3, 1), ["SDN"] = new(3, 3),
        ["SEN"] = new(6, 8), ["SLE"] = new(4, 2), ["TCD"] = new(3, 4), ["TGO"] = new(3, 1),
        ["TZA"] = new(5, 3), ["UGA"] = new(5, 2), ["ZAF"] = new(7, 5), ["ZWE"] = new(3, 2),

        // Middle East and North Africa
        ["ARE"] = new(4, 3), ["BHR"] = new(2, 1), ["DZA"] = new(6, 8), ["EGY"] = new(6, 6),
        ["IRQ"] = new(3, 3), ["JOR"] = new(3, 2), ["KWT"] = new(2, 2), ["LBN"] = new(3, 3),
        ["LBY"] = new(4, 9), ["MAR"] = new(7, 9), ["OMN"] = new(2, 2), ["QAT"] = new(2, 1),
        ["SAU"] = new(4, 4), ["TUN"] = new(5, 8),

        // Americas
        ["ARG"] = new(5, 2), ["BLZ"] = new(2, 2), ["BOL"] = new(4, 3), ["BRA"] = new(8, 4),
        ["CAN"] = new(4, 2), ["CHL"] = new(4, 4), ["COL"] = new(7, 6), ["CRI"] = new(4, 4),
        ["CUW"] = new(2, 3), ["DOM"] = new(4, 3), ["ECU"] = new(5, 4), ["GTM"] = new(5, 7),
        ["GUY"] = new(2, 2), ["HND"] = new(4, 5), ["HTI"] = new(3, 2), ["JAM"] = new(2, 1),
        ["MEX"] = new(8, 10), ["NIC"] = new(3, 4), ["PAN"] = new(4, 8), ["PER"] = new(6, 4),
        ["PRY"] = new(3, 2), ["SLV"] = new(4, 3), ["SUR"] = new(2, 1), ["TTO"] = new(2, 2),
        ["URY"] = new(2, 1), ["USA"] = new(8, 9), ["VEN"] = new(4, 3),

        // Europe
        ["ALB"] = new(3, 3), ["AUT"] = new(4, 4), ["BEL"] = new(5, 4), ["BGR"] = new(4, 6),
        ["BIH"] = new(3, 5), ["CHE"] = new(4, 3), ["CYP"] = new(2, 4), ["CZE"] = new(3, 2),
        ["DEU"] = new(7, 6), ["ESP"] = new(7, 9), ["FRA"] = new(7, 7), ["GBR"] = new(7, 6),
        ["GEO"] = new(2, 1), ["GRC"] = new(5, 8), ["HRV"] = new(3, 5), ["HUN"] = new(3, 5),
        ["IRL"] = new(3, 2), ["ITA"] = new(7, 9), ["MDA"] = new(3, 1), ["MKD"] = new(2, 4),
        ["MNE"] = new(2, 3), ["NLD"] = new(5, 3), ["POL"] = new(4, 3), ["PRT"] = new(4, 3),
        ["ROU"] = new(5, 3), ["SRB"] = new(3, 5), ["SVK"] = new(2, 2), ["TUR"] = new(7, 9),
        ["UKR"] = new(4, 1),

        // Asia and South Pacific
        ["AFG"] = new(3, 2), ["AUS"] = new(4, 2), ["BGD"] = new(5, 3), ["FJI"] = new(2, 0),
        ["IDN"] = new(6, 4), ["IND"] = new(7, 3), ["KAZ"] = new(3, 2), ["KGZ"] = new(2, 1),
        ["KHM"] = new(5, 2), ["KOR"] = new(3, 1), ["LAO"] = new(4, 2), ["LKA"] = new(3, 1),
        ["MMR"] = new(6, 3), ["MYS"] = new(6, 5), ["NPL"] = new(3, 1), ["PAK"] = new(5, 4),
        ["PHL"] = new(6, 2), ["SGP"] = new(2, 1), ["THA"] = new(6, 5), ["UZB"] = new(2, 1),
        ["VNM"] = new(5, 2),
    };

    /// <summary>
    /// Liberterra III: 119 countries. Includes every country named in the published results
    /// (coordination units, named cases, the Brazil network's route countries).
    /// </summary>
    public static readonly IReadOnlyList<string> LiberterraIII =
    [
        "AFG", "AGO", "ALB", "ARE", "ARG", "AUS", "AUT", "BEL", "BEN", "BFA", "BGD", "BGR",
        "BHR", "BIH", "BLZ", "BOL", "BRA", "CAN", "CHE", "CHL", "CIV", "CMR", "COD", "COG",
        "COL", "CPV", "CRI", "CYP", "CZE", "DEU", "DOM", "DZA", "ECU", "EGY", "ESP", "ETH",
        "FJI", "FRA", "GAB", "GBR", "GEO", "GHA", "GIN", "GMB", "GNB", "GRC", "GTM", "GUY",
        "HND", "HRV", "HUN", "IDN", "IND", "IRQ", "ITA", "JAM", "JOR", "KAZ", "KEN", "KGZ",
        "KHM", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LKA", "MAR", "MDA", "MEX", "MKD",
        "MLI", "MMR", "MOZ", "MRT", "MUS", "MYS", "NER", "NGA", "NIC", "NLD", "NPL", "OMN",
        "PAK", "PAN", "PER", "PHL", "POL", "PRT", "PRY", "QAT", "ROU", "RWA", "SAU", "SDN",
        "SEN", "SGP", "SLE", "SLV", "SRB", "SUR", "SVK", "TCD", "TGO", "THA", "TTO", "TUN",
        "TUR", "TZA", "UGA", "UKR", "URY", "USA", "UZB", "VEN", "VNM", "ZAF", "ZWE",
    ];

    /// <summary>
    /// Liberterra II: 116 countries and territories. Modelled as the III list less six smaller
    /// participants plus three others, so most countries appear in both editions.
    /// </summary>
    public static readonly IReadOnlyList<string> LiberterraII =
        LiberterraIII.Except(["AFG", "FJI", "GEO", "KGZ", "SUR", "UZB"])
            .Concat(["HTI", "IRL", "MNE"])
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Liberterra (I), 2021: 47 countries, mostly the larger participants of later editions, and
    /// every country its published results name (Tanzania, the United Kingdom, and Brazil,
    /// Colombia, Curaçao and Panama, where fugitives were detained).
    /// </summary>
    public static readonly IReadOnlyList<string> LiberterraI =
    [
        "ALB", "ARG", "AUT", "BEL", "BGR", "BRA", "CHL", "CIV", "COL", "CRI", "CUW", "DEU",
        "ECU", "EGY", "ESP", "FRA", "GBR", "GHA", "GRC", "GTM", "HND", "IDN", "IND", "ITA",
        "KEN", "MAR", "MEX", "MYS", "NER", "NGA", "NLD", "PAN", "PER", "PHL", "POL", "PRT",
        "ROU", "SEN", "SLV", "SRB", "THA", "TUN", "TUR", "TZA", "USA", "VNM", "ZAF",
    ];

    public static CountryProfile ProfileOf(string alpha3) =>
        Profiles.TryGetValue(alpha3, out var profile)
            ? profile
            : throw new SeedInvariantException($"participant {alpha3} has no profile in Participants.Profiles");
}
