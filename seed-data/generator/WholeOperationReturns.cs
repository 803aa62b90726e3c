namespace Liberterra.SeedData;

/// <summary>
/// Liberterra II and Liberterra (I): only whole-operation totals were published, so each
/// participant files one return for the whole operation (empty date). Only the metrics that were
/// published are filled in; every other column stays empty (not reported) rather than invented,
/// except where a published fact about one country gives that country a value.
/// </summary>
internal static class WholeOperationReturns
{
    // Published only as "nearly X". The seed needs a concrete total, so it takes a value a little
    // below X: a much smaller one would have been announced as a lower round number.
    private const int FlightsMonitoredII = 23874;
    private const int DatabaseChecksII = 7958213;

    /// <summary>
    /// Liberterra II's operational coordination units. In this illustration the checks against
    /// INTERPOL's databases run through a unit are recorded in its host's return, so a few rows
    /// carry more than a million checks: the template raises that indicator's cap for this reason.
    /// </summary>
    private static readonly string[] CoordinationUnitsII = ["ARG", "MKD", "PHL", "SEN"];

    private const string CoordinationUnitII =
        "Host of one of the operation's four operational coordination units (published). In this illustration the checks against "
        + "INTERPOL's databases run through the unit are recorded in this return.";

    private const string RestIllustrative = " The rest of this return is illustrative.";

    /// <summary>
    /// What the published results say about single countries (seed-data/README.md lists them).
    /// Each value is a lower bound in the country's return: the general allocation adds its share
    /// of the rest of the total on top. Which indicator each fact counts under is the project's call.
    /// </summary>
    private static readonly IReadOnlyList<CountryFact> FactsII =
    [
        .. CoordinationUnitsII.Select(country => new CountryFact(country, CoordinationUnitII, [])),
        new("TUR", "1,500 irregular migrants rescued and 94 suspected smugglers arrested (published)." + RestIllustrative,
            [(Metric.IrregularMigrants, 1500), (Metric.Arrests, 94), (Metric.ArrestsTraffickingSmuggling, 94)]),
        new("TUN", "27 people bound for the United Kingdom on the pretext of a study trip intercepted, 21 of them minors (published); "
            + "counted as irregular migrants." + RestIllustrative,
            [(Metric.IrregularMigrants, 27)]),
        new("DZA", "7 arrests on money-laundering charges tied to migrant smuggling (published); counted as arrests, "
            + "not as trafficking or smuggling arrests, since the charge is money laundering." + RestIllustrative,
            [(Metric.Arrests, 7)]),
        new("SRB", "12 arrests in groups that had moved at least 178 irregular migrants (published); counted as smuggling arrests." + RestIllustrative,
            [(Metric.Arrests, 12), (Metric.ArrestsTraffickingSmuggling, 12)]),
        new("MNE", "11 arrests in a group suspected of smuggling 350 migrants from Asia into the EU (published); counted as smuggling arrests."
            + RestIllustrative,
            [(Metric.Arrests, 11), (Metric.ArrestsTraffickingSmuggling, 11)]),
        new("PHL", "More than 250 people found in a warehouse run as a scam centre (published); 251 of them are counted as potential victims."
            + RestIllustrative,
            [(Metric.VictimsSafeguarded, 251)]),
        new("MLI", "24 women from Togo identified, drawn in by false offers of work (published); counted as potential victims." + RestIllustrative,
            [(Metric.VictimsSafeguarded, 24)]),
    ];

    private const string FugitivesI =
        "Fugitives detained (published, without a count); one is counted in this return's arrests." + RestIllustrative;

    /// <summary>As <see cref="FactsII"/>. Forged documents seized were published only for Tanzania, so only Tanzania reports them.</summary>
    private static readonly IReadOnlyList<CountryFact> FactsI =
    [
        new("TZA", "A bus driver carrying 169 forged passports arrested (published)." + RestIllustrative,
            [(Metric.ForgedDocumentsSeized, 169), (Metric.Arrests, 1)]),
        new("GBR", "Six arrests (published) are counted in this return's arrests." + RestIllustrative, [(Metric.Arrests, 6)]),
        .. new[] { "BRA", "COL", "CUW", "PAN" }.Select(country => new CountryFact(country, FugitivesI, [(Metric.Arrests, 1)])),
    ];

    public static Operation LiberterraII()
    {
        const string code = "liberterra-ii";
        const string source = "INTERPOL preliminary results, 6 November 2024";
        var participants = Participants.LiberterraII;
        var rows = Rows(participants, FactsII);
        Allocate(code, rows, Metric.Arrests, 2517);
        Allocate(code, rows, Metric.VictimsSafeguarded, 3222);
        Allocate(code, rows, Metric.IrregularMigrants, 17793);
        Allocate(code, rows, Metric.FlightsMonitored, FlightsMonitoredII);
        Allocate(code, rows, Metric.DatabaseChecks, DatabaseChecksII);
        AllocateTraffickingArrests(code, rows, 850);

        return new Operation(
            code,
            "Liberterra II",
            new DateOnly(2024, 9, 29),
            new DateOnly(2024, 10, 4),
            ReportsDaily: false,
            "Published totals are reproduced exactly, and figures published only as \"nearly\" are met by a value just below them. "
            + "Only the number of participating countries and territories was published, "
            + "so the participant list and the per-country split are an illustrative allocation made by seed-data/generator, not published data.",
            participants,
            [
                new("countriesParticipating", null, 116, Qualifier.Exact, source),
                new("arrests", Metric.Arrests, 2517, Qualifier.Exact, source),
                new("arrestsTraffickingSmuggling", Metric.ArrestsTraffickingSmuggling, 850, Qualifier.Exact, source),
                new("victimsSafeguarded", Metric.VictimsSafeguarded, 3222, Qualifier.Exact, source),
                new("irregularMigrants", Metric.IrregularMigrants, 17793, Qualifier.Exact, source),
                new("flightsMonitored", Metric.FlightsMonitored, 24000, Qualifier.Nearly, source),
                new("databaseChecks", Metric.DatabaseChecks, 8000000, Qualifier.Nearly, source),
            ],
            rows);
    }

    public static Operation LiberterraI()
    {
        const string code = "liberterra-i";
        const string source = "INTERPOL release, 26 July 2021";
        var participants = Participants.LiberterraI;

        // "About 4,000" migrants and "some 500,000" inspections are seeded at exactly those values:
        // there is no better number to use.
        var rows = Rows(participants, FactsI);
        Allocate(code, rows, Metric.Arrests, 286);
        Allocate(code, rows, Metric.VictimsSafeguarded, 430);
        Allocate(code, rows, Metric.IrregularMigrants, 4000);
        Allocate(code, rows, Metric.InvestigationsOpened, 60);
        Allocate(code, rows, Metric.Inspections, 500000);
        Allocate(code, rows, Metric.CriminalGroupsDismantled, 22);

        return new Operation(
            code,
            "Liberterra",
            new DateOnly(2021, 7, 5),
            new DateOnly(2021, 7, 9),
            ReportsDaily: false,
            "Published totals are reproduced exactly (the migrants, published as about 4,000, and the inspections, published as some 500,000, "
            + "are seeded at those values). "
            + "The participant list and the per-country split are an illustrative allocation made by seed-data/generator, not published data.",
            participants,
            [
                new("countriesParticipating", null, 47, Qualifier.Exact, source),
                new("arrests", Metric.Arrests, 286, Qualifier.Exact, source),
                new("victimsSafeguarded", Metric.VictimsSafeguarded, 430, Qualifier.Exact, source),
                new("irregularMigrants", Metric.IrregularMigrants, 4000, Qualifier.About, source),
                new("investigationsOpened", Metric.InvestigationsOpened, 60, Qualifier.Exact, source),
                new("inspections", Metric.Inspections, 500000, Qualifier.About, source),
                new("criminalGroupsDismantled", Metric.CriminalGroupsDismantled, 22, Qualifier.Exact, source),
            ],
            rows);
    }

    /// <summary>One row per participant, holding its published facts' values and notes.</summary>
    private static List<ReturnRow> Rows(IReadOnlyList<string> participants, IReadOnlyList<CountryFact> facts)
    {
        var rows = participants.Select(country => new ReturnRow(country, null)).ToList();
        foreach (var fact in facts)
        {
            var row = rows.SingleOrDefault(r => r.Country == fact.Country)
                ?? throw new SeedInvariantException($"a published fact names {fact.Country}, which is not a participant");
            foreach (var (metric, value) in fact.AtLeast)
            {
                if (row[metric] is not null)
                {
                    throw new SeedInvariantException($"{row}: two facts both set {Metrics.ColumnName(metric)}");
                }

                row[metric] = value;
            }

            row.AddNote(fact.Note);
        }

        return rows;
    }

    /// <summary>
    /// Adds to every row its share of what the facts leave of the total, split by country size
    /// (migration exposure for migrants, enforcement activity for the rest) with a per-country
    /// jitter, largest-remainder rounded. Small countries may get a reported 0, which is still a report.
    /// </summary>
    private static void Allocate(string code, List<ReturnRow> rows, Metric metric, int total)
    {
        string column = Metrics.ColumnName(metric);
        var weights = rows.Select(row =>
        {
            var profile = Participants.ProfileOf(row.Country);
            int scale = metric == Metric.IrregularMigrants ? profile.Migration : profile.Activity;
            int unit = metric == Metric.DatabaseChecks && CoordinationUnitsII.Contains(row.Country) ? 20 : 1;
            return CountryProfile.Weight(scale) * unit * SplitMix64.For(code, column, row.Country).Next(60, 140);
        }).ToList();

        var parts = Allocation.LargestRemainder(total - rows.Sum(r => r[metric] ?? 0), weights);
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i][metric] = (rows[i][metric] ?? 0) + parts[i];
        }
    }

    /// <summary>
    /// A subset of each country's arrests, so weighted by them and capped at what the row's arrests
    /// leave above its facts' trafficking arrests.
    /// </summary>
    private static void AllocateTraffickingArrests(string code, List<ReturnRow> rows, int total)
    {
        const Metric metric = Metric.ArrestsTraffickingSmuggling;
        var weights = rows.Select(r => (long)r[Metric.Arrests]!.Value * SplitMix64.For(code, "traffickingShare", r.Country).Next(20, 50)).ToList();
        var caps = rows.Select(r => r[Metric.Arrests]!.Value - (r[metric] ?? 0)).ToList();
        var parts = Allocation.LargestRemainder(total - rows.Sum(r => r[metric] ?? 0), weights, caps);
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i][metric] = (rows[i][metric] ?? 0) + parts[i];
        }
    }

    private sealed record CountryFact(string Country, string Note, IReadOnlyList<(Metric Metric, int Value)> AtLeast);
}
