using System.Globalization;

namespace Liberterra.SeedData;

/// <summary>
/// Liberterra III (10–21 November 2025): one return per participant per day, 119 × 12 rows.
/// The published totals are fixed; the named cases from the published results are placed on
/// chosen days; everything else is spread across countries and days in proportion to
/// illustrative weights, with largest-remainder rounding so every sum is exact.
/// </summary>
internal static class LiberterraThree
{
    public const string Code = "liberterra-iii";
    private const string Source = "INTERPOL results, 26 January 2026";

    // Published exactly.
    private const int Arrests = 3744;
    private const int VictimsSafeguarded = 4414;
    private const int IrregularMigrants = 12992;

    // Published only as "more than X". The seed needs a concrete total, so it takes a value a
    // little above X: a much larger one would have been announced as a higher round number.
    private const int ArrestsTraffickingSmuggling = 1853;
    private const int InvestigationsOpened = 748;
    private const int OfficersOnDuty = 14236;

    /// <summary>
    /// Countries that, in this illustration, never filled in the exploitation breakdown. Kept as a
    /// block: a return either classifies its victims or it does not.
    /// </summary>
    private static readonly string[] BreakdownNotReported = ["BGD", "IRQ", "SAU", "TCD", "UKR", "VEN"];

    /// <summary>
    /// Columns some countries left blank on every day. Real returns are incomplete, and the
    /// reporting system must show "not reported" differently from a reported zero, so the seed
    /// makes such gaps present and visible instead of filling them with invented numbers.
    /// </summary>
    private static readonly Dictionary<Metric, string[]> NotReported = new()
    {
        [Metric.InvestigationsOpened] = ["AFG", "COD", "LBY", "SDN", "VEN"],
        [Metric.VictimsMinors] = ["LBY", "SAU", "SDN"],
        [Metric.IrregularMigrants] = ["KOR", "SGP"],
        [Metric.Sexual] = BreakdownNotReported,
        [Metric.ForcedLabour] = BreakdownNotReported,
        [Metric.ForcedCriminality] = BreakdownNotReported,
        [Metric.DomesticServitude] = BreakdownNotReported,
        [Metric.OrganRemoval] = BreakdownNotReported,
        [Metric.OtherExploitation] = BreakdownNotReported,
    };

    /// <summary>
    /// Relative frequency of each form of exploitation among classified victims, by region. A rough
    /// reading of the published findings (scam compounds drive forced criminality in Asia, domestic
    /// servitude is more common in the Gulf, sexual exploitation dominates in Europe and the
    /// Americas). Organ removal is 0 everywhere: its only occurrence is the Mozambique case.
    /// Order: sexual, forced labour, forced criminality, domestic servitude, organ removal, other.
    /// </summary>
    private static readonly Dictionary<string, int[]> ExploitationMixByRegion = new(StringComparer.Ordinal)
    {
        ["Africa"] = [35, 35, 10, 15, 0, 5],
        ["Americas"] = [50, 30, 10, 5, 0, 5],
        ["Asia and South Pacific"] = [20, 30, 40, 5, 0, 5],
        ["Europe"] = [50, 30, 15, 3, 0, 2],
        ["Middle East and North Africa"] = [20, 45, 5, 25, 0, 5],
    };

    private const string CoordinationUnit =
        "Host of one of the operation's four special coordination units (live checks against INTERPOL databases for all participants).";

    private const string RecruitmentHub =
        "Recruitment hub dismantled: victims drawn in by fake offers of work abroad, charged fees, then pressed to enlist relatives and friends (pyramid scheme). "
        + "Six West African countries together reported more than 200 victims; this country's share and the day are illustrative.";

    private const string SeaInterception =
        "Migrants intercepted at sea on a departure route toward Europe; the count and the day are illustrative.";

    /// <summary>
    /// The cases named in the published results (see seed-data/README.md). Each fixes some cells
    /// of one country's return for one day; the general allocation fills in the rest around them.
    /// Which day a case falls on was not published and is chosen here.
    /// </summary>
    private static readonly IReadOnlyList<CaseReport> Cases =
    [
        Case("DZA", 10, CoordinationUnit),
        Case("GBR", 10, CoordinationUnit),
        Case("LAO", 10, CoordinationUnit),
        Case("SLV", 10, CoordinationUnit),

        Case("MMR", 14,
            "Raid on a suspected online-scam compound: about 450 workers found, treated as potential trafficking victims made to run frauds; "
            + "thousands of mobile phones and hundreds of computers seized. The day and the breakdown are illustrative.",
            (Metric.Arrests, 12), (Metric.ArrestsTraffickingSmuggling, 12), (Metric.VictimsSafeguarded, 452), (Metric.VictimsMinors, 5),
            (Metric.Sexual, 4), (Metric.ForcedLabour, 11), (Metric.ForcedCriminality, 426)),
        Case("IND", 19,
            "125 Indian nationals screened as potential trafficking victims, then repatriated. Recorded on one illustrative day.",
            (Metric.VictimsSafeguarded, 125)),

        Case("BEN", 12, RecruitmentHub, (Metric.Arrests, 6), (Metric.ArrestsTraffickingSmuggling, 6), (Metric.VictimsSafeguarded, 31)),
        Case("BFA", 15, RecruitmentHub, (Metric.Arrests, 4), (Metric.ArrestsTraffickingSmuggling, 4), (Metric.VictimsSafeguarded, 27)),
        Case("CIV", 13, RecruitmentHub, (Metric.Arrests, 9), (Metric.ArrestsTraffickingSmuggling, 9), (Metric.VictimsSafeguarded, 44)),
        Case("GHA", 18, RecruitmentHub, (Metric.Arrests, 7), (Metric.ArrestsTraffickingSmuggling, 7), (Metric.VictimsSafeguarded, 39)),
        Case("SEN", 16, RecruitmentHub, (Metric.Arrests, 5), (Metric.ArrestsTraffickingSmuggling, 5), (Metric.VictimsSafeguarded, 35)),
        Case("SLE", 19, RecruitmentHub, (Metric.Arrests, 4), (Metric.ArrestsTraffickingSmuggling, 4), (Metric.VictimsSafeguarded, 29)),

        Case("SEN", 11,
            "One overcrowded boat with 245 migrants on board stopped before a dangerous sea crossing; the day is illustrative.",
            (Metric.IrregularMigrants, 245), (Metric.Arrests, 3), (Metric.ArrestsTraffickingSmuggling, 3)),
        Case("MAR", 15, SeaInterception, (Metric.IrregularMigrants, 182)),
        Case("DZA", 13, SeaInterception, (Metric.IrregularMigrants, 147)),
        Case("GNB", 17, SeaInterception, (Metric.IrregularMigrants, 96)),

        Case("PER", 18,
            "Overland migrant-smuggling network disrupted; the arrest count and the day are illustrative.",
            (Metric.Arrests, 9), (Metric.ArrestsTraffickingSmuggling, 9)),
        Case("BRA", 20,
            "Overland smuggling network moving migrants from South Asia (Pakistan, Afghanistan) via Mexico toward the United States taken apart; "
            + "criminal assets worth millions of dollars frozen. Counts illustrative.",
            (Metric.Arrests, 14), (Metric.ArrestsTraffickingSmuggling, 14)),

        Case("ESP", 12,
            "Network that forced women into prostitution behind beauty salons and massage parlours dismantled. Counts illustrative.",
            (Metric.Arrests, 8), (Metric.ArrestsTraffickingSmuggling, 8), (Metric.VictimsSafeguarded, 19), (Metric.VictimsMinors, 0),
            (Metric.Sexual, 19)),
        Case("MLI", 14,
            "Dozens of women brought from Nigeria and sexually exploited identified. Counts illustrative.",
            (Metric.Arrests, 3), (Metric.ArrestsTraffickingSmuggling, 3), (Metric.VictimsSafeguarded, 31), (Metric.VictimsMinors, 0),
            (Metric.Sexual, 29), (Metric.ForcedLabour, 2)),
        Case("BLZ", 13,
            "Children found at work in a glass factory. Counts illustrative.",
            (Metric.Arrests, 2), (Metric.ArrestsTraffickingSmuggling, 2), (Metric.VictimsSafeguarded, 7), (Metric.VictimsMinors, 7),
            (Metric.ForcedLabour, 7)),
        Case("SLV", 17,
            "Girl who had been sold to an elderly man rescued; counted under other exploitation.",
            (Metric.Arrests, 1), (Metric.ArrestsTraffickingSmuggling, 1), (Metric.VictimsSafeguarded, 1), (Metric.VictimsMinors, 1),
            (Metric.OtherExploitation, 1)),
        Case("MOZ", 19,
            "Eight-year-old boy abducted for the removal of his organs; case documented. Arrest count illustrative.",
            (Metric.Arrests, 2), (Metric.ArrestsTraffickingSmuggling, 2), (Metric.VictimsSafeguarded, 1), (Metric.VictimsMinors, 1),
            (Metric.OrganRemoval, 1)),
        Case("CRI", 11,
            "Two suspects, a man and his partner, held over schoolgirls allegedly pressured into making explicit videos. Victim count illustrative.",
            (Metric.Arrests, 2), (Metric.ArrestsTraffickingSmuggling, 2), (Metric.VictimsSafeguarded, 4), (Metric.VictimsMinors, 4),
            (Metric.Sexual, 4)),
    ];

    public static Operation Build(CountryCatalog countries)
    {
        var start = new DateOnly(2025, 11, 10);
        var end = new DateOnly(2025, 11, 21);
        var participants = Participants.LiberterraIII;
        var days = Enumerable.Range(0, end.DayNumber - start.DayNumber + 1).Select(start.AddDays).ToList();

        // Country-major, date-minor: already the order of the returns file.
        var rows = participants.SelectMany(country => days.Select(day => new ReturnRow(country, day))).ToList();

        ApplyCases(rows);
        AllocateFlow(rows, Metric.Arrests, Arrests, p => p.Activity, DayWeight);
        AllocateFlow(rows, Metric.VictimsSafeguarded, VictimsSafeguarded, p => p.Activity, DayWeight);
        AllocateFlow(rows, Metric.InvestigationsOpened, InvestigationsOpened, p => p.Activity, DayWeight);
        AllocateFlow(rows, Metric.IrregularMigrants, IrregularMigrants, p => p.Migration, MigrationDayWeight);
        AllocateTraffickingArrests(rows);
        DeriveMinorsAndExploitation(rows, countries);
        SetOfficersOnDuty(rows, participants, days);

        return new Operation(
            Code,
            "Liberterra III",
            start,
            end,
            ReportsDaily: true,
            "Published totals are reproduced exactly, and figures published only as \"more than\" are met by a value just above them. "
            + "The per-country and per-day split, and the choice of participants, is an illustrative allocation made by seed-data/generator, not published data.",
            participants,
            [
                new("countriesParticipating", null, 119, Qualifier.Exact, Source),
                new("arrests", Metric.Arrests, Arrests, Qualifier.Exact, Source),
                new("arrestsTraffickingSmuggling", Metric.ArrestsTraffickingSmuggling, 1800, Qualifier.MoreThan, Source),
                new("victimsSafeguarded", Metric.VictimsSafeguarded, VictimsSafeguarded, Qualifier.Exact, Source),
                new("irregularMigrants", Metric.IrregularMigrants, IrregularMigrants, Qualifier.Exact, Source),
                new("investigationsOpened", Metric.InvestigationsOpened, 720, Qualifier.MoreThan, Source),
                new("officersDeployed", Metric.OfficersDeployed, 14000, Qualifier.MoreThan, Source),
            ],
            rows);
    }

    public static bool Reports(string country, Metric metric) =>
        !NotReported.TryGetValue(metric, out var blank) || !blank.Contains(country);

    private static void ApplyCases(List<ReturnRow> rows)
    {
        foreach (var report in Cases)
        {
            var row = rows.SingleOrDefault(r => r.Country == report.Country && r.Date == report.Date)
                ?? throw new SeedInvariantException($"case for {report.Country} on {report.Date:yyyy-MM-dd} is outside the operation's participants or dates");

            foreach (var (metric, value) in report.Values)
            {
                if (row[metric] is not null)
                {
                    throw new SeedInvariantException($"{row}: two cases both set {Metrics.ColumnName(metric)}");
                }

                row[metric] = value;
            }

            // A case that classifies its victims does so completely: forms it does not name are 0,
            // not left for the general allocation to top up.
            if (report.Values.Any(v => Metrics.Exploitation.Contains(v.Metric)))
            {
                foreach (var form in Metrics.Exploitation)
                {
                    row[form] ??= 0;
                }
            }

            row.AddNote(report.Note);
        }
    }

    /// <summary>
    /// Spreads what is left of a published total, after the named cases, in two stages: first
    /// across countries in proportion to their size, then each country's share across its days.
    /// Doing it per cell in one go would let rounding decide a small country's whole total
    /// (many cells hold less than one unit), leaving mid-sized countries with zero for no reason.
    /// </summary>
    private static void AllocateFlow(
        List<ReturnRow> rows, Metric metric, int total, Func<CountryProfile, int> scale, Func<Metric, ReturnRow, long> dayWeight)
    {
        string column = Metrics.ColumnName(metric);
        int fixedByCases = rows.Sum(r => r[metric] ?? 0);
        var openByCountry = OpenCellsByCountry(rows, metric);
        var countryShares = Allocation.LargestRemainder(
            total - fixedByCases,
            openByCountry.Select(g => CountryProfile.Weight(scale(Participants.ProfileOf(g.Key))) * Draw(70, 130, column, "country", g.Key)).ToList());

        for (int c = 0; c < openByCountry.Count; c++)
        {
            var days = openByCountry[c].ToList();
            var parts = Allocation.LargestRemainder(countryShares[c], days.Select(r => dayWeight(metric, r)).ToList());
            for (int i = 0; i < days.Count; i++)
            {
                days[i][metric] = parts[i];
            }
        }
    }

    /// <summary>Ordinary daily swing: a busy day is up to nine times a quiet one.</summary>
    private static long DayWeight(Metric metric, ReturnRow row) =>
        Draw(20, 180, Metrics.ColumnName(metric), "day", row.Country, Day(row));

    /// <summary>
    /// Migrant detections come in bursts (a boat, a truck, a border sweep), so the day factor is
    /// squared: most days are small and a few are large.
    /// </summary>
    private static long MigrationDayWeight(Metric metric, ReturnRow row)
    {
        long factor = Draw(1, 100, Metrics.ColumnName(metric), "day", row.Country, Day(row));
        return factor * factor;
    }

    /// <summary>
    /// Trafficking and smuggling arrests are a subset of the arrests in the same row. Same two
    /// stages as <see cref="AllocateFlow"/>: a country's share is weighted by its own arrests
    /// (times a country-specific trafficking share) and capped by them, then each day's part is
    /// weighted by and capped at that day's arrests.
    /// </summary>
    private static void AllocateTraffickingArrests(List<ReturnRow> rows)
    {
        const Metric metric = Metric.ArrestsTraffickingSmuggling;
        int fixedByCases = rows.Sum(r => r[metric] ?? 0);
        var openByCountry = OpenCellsByCountry(rows, metric);
        var arrestsByCountry = openByCountry.Select(g => g.Sum(r => r[Metric.Arrests]!.Value)).ToList();
        var countryShares = Allocation.LargestRemainder(
            ArrestsTraffickingSmuggling - fixedByCases,
            openByCountry.Select((g, c) => (long)arrestsByCountry[c] * Draw(35, 65, "traffickingShare", g.Key)).ToList(),
            arrestsByCountry);

        for (int c = 0; c < openByCountry.Count; c++)
        {
            var days = openByCountry[c].ToList();
            var arrests = days.Select(r => r[Metric.Arrests]!.Value).ToList();
            var parts = Allocation.LargestRemainder(countryShares[c], arrests.Select(a => (long)a).ToList(), arrests);
            for (int i = 0; i < days.Count; i++)
            {
                days[i][metric] = parts[i];
            }
        }
    }

    /// <summary>Cells the named cases left empty, grouped by country, skipping countries that never report the metric.</summary>
    private static List<IGrouping<string, ReturnRow>> OpenCellsByCountry(List<ReturnRow> rows, Metric metric) =>
        rows.Where(r => r[metric] is null && Reports(r.Country, metric)).GroupBy(r => r.Country).ToList();

    /// <summary>
    /// Minors and the exploitation breakdown were never published for III, so they are derived
    /// per row from that row's victims: a country-specific share of minors, and a share of
    /// classified victims (not every victim's form of exploitation is known on the day) split by
    /// the region's mix. Both stay within the row's victims by construction.
    /// </summary>
    private static void DeriveMinorsAndExploitation(List<ReturnRow> rows, CountryCatalog countries)
    {
        foreach (var row in rows.Where(r => r[Metric.VictimsSafeguarded] is not null))
        {
            int victims = row[Metric.VictimsSafeguarded]!.Value;
            string day = Day(row);

            if (row[Metric.VictimsMinors] is null && Reports(row.Country, Metric.VictimsMinors))
            {
                row[Metric.VictimsMinors] = ShareOf(victims, Draw(5, 30, "minorsShare", row.Country), Draw(0, 99, "minorsRounding", row.Country, day));
            }

            if (Metrics.Exploitation.All(form => row[form] is null && Reports(row.Country, form)))
            {
                int classified = ShareOf(victims, Draw(70, 100, "classifiedShare", row.Country), Draw(0, 99, "classifiedRounding", row.Country, day));
                int[] mix = ExploitationMixByRegion[countries[row.Country].Region];
                var weights = Metrics.Exploitation
                    .Select((form, i) => mix[i] * (long)Draw(50, 150, "exploitationMix", row.Country, day, Metrics.ColumnName(form)))
                    .ToList();
                var parts = Allocation.LargestRemainder(classified, weights);
                for (int i = 0; i < parts.Length; i++)
                {
                    row[Metrics.Exploitation[i]] = parts[i];
                }
            }
        }
    }

    /// <summary>
    /// "Over 14,000 officers deployed" counts people, not person-days: the same officers are on
    /// duty day after day. So each country gets a level (its share of the stock), reaches it on
    /// one peak day, and reports somewhat fewer on the others. The published figure is the sum
    /// over countries of each country's maximum; adding up daily values would count the same
    /// officers up to twelve times, which is exactly the mistake this data is meant to expose.
    /// </summary>
    private static void SetOfficersOnDuty(List<ReturnRow> rows, IReadOnlyList<string> participants, List<DateOnly> days)
    {
        var levels = Allocation.LargestRemainder(
            OfficersOnDuty,
            participants.Select(c => CountryProfile.Weight(Participants.ProfileOf(c).Activity) * Draw(80, 120, "officersLevel", c)).ToList());

        for (int i = 0; i < participants.Count; i++)
        {
            string country = participants[i];
            int peakDay = Draw(0, days.Count - 1, "officersPeakDay", country);
            foreach (var row in rows.Where(r => r.Country == country))
            {
                int dayIndex = days.IndexOf(row.Date!.Value);
                row[Metric.OfficersDeployed] = dayIndex == peakDay
                    ? levels[i]
                    : levels[i] * Draw(55, 95, "officersDay", country, Day(row)) / 100;
            }
        }
    }

    /// <summary>
    /// percent% of value, rounded up or down at random (roundingDraw in 0..99) so that small rows
    /// are not all rounded to 0. Never exceeds value because percent ≤ 100.
    /// </summary>
    private static int ShareOf(int value, int percent, int roundingDraw) => ((value * percent) + roundingDraw) / 100;

    private static int Draw(int min, int max, params string[] labels) =>
        SplitMix64.For(["III", .. labels]).Next(min, max);

    private static string Day(ReturnRow row) => row.Date!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static CaseReport Case(string country, int novemberDay, string note, params (Metric Metric, int Value)[] values) =>
        new(country, new DateOnly(2025, 11, novemberDay), note, values);

    private sealed record CaseReport(string Country, DateOnly Date, string Note, IReadOnlyList<(Metric Metric, int Value)> Values);
}
