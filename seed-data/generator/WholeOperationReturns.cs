namespace Liberterra.SeedData;

/// <summary>
/// Liberterra II and Liberterra (I): only whole-operation totals were published, so each
/// participant files one return for the whole operation (empty date). Only the metrics that were
/// published are filled in; every other column stays empty (not reported) rather than invented.
/// </summary>
internal static class WholeOperationReturns
{
    public static Operation LiberterraII()
    {
        const string code = "liberterra-ii";
        const string source = "INTERPOL preliminary results, 6 November 2024";
        var participants = Participants.LiberterraII;
        var rows = Allocate(code, participants, new()
        {
            [Metric.Arrests] = 2517,
            [Metric.VictimsSafeguarded] = 3222,
            [Metric.IrregularMigrants] = 17793,
        });
        AllocateTraffickingArrests(code, rows, 850);

        return new Operation(
            code,
            "Liberterra II",
            new DateOnly(2024, 9, 29),
            new DateOnly(2024, 10, 4),
            ReportsDaily: false,
            "Published totals are reproduced exactly. Only the number of participating countries and territories was published, "
            + "so the participant list and the per-country split are an illustrative allocation made by seed-data/generator, not published data.",
            participants,
            [
                new("countriesParticipating", null, 116, Qualifier.Exact, source),
                new("arrests", Metric.Arrests, 2517, Qualifier.Exact, source),
                new("arrestsTraffickingSmuggling", Metric.ArrestsTraffickingSmuggling, 850, Qualifier.Exact, source),
                new("victimsSafeguarded", Metric.VictimsSafeguarded, 3222, Qualifier.Exact, source),
                new("irregularMigrants", Metric.IrregularMigrants, 17793, Qualifier.Exact, source),
            ],
            new HashSet<Metric> { Metric.Arrests, Metric.ArrestsTraffickingSmuggling, Metric.VictimsSafeguarded, Metric.IrregularMigrants },
            rows);
    }

    public static Operation LiberterraI()
    {
        const string code = "liberterra-i";
        const string source = "INTERPOL release, 26 July 2021";
        var participants = Participants.LiberterraI;

        // "About 4,000" migrants is seeded at exactly 4,000: there is no better number to use.
        var rows = Allocate(code, participants, new()
        {
            [Metric.Arrests] = 286,
            [Metric.VictimsSafeguarded] = 430,
            [Metric.IrregularMigrants] = 4000,
            [Metric.InvestigationsOpened] = 60,
        });

        return new Operation(
            code,
            "Liberterra",
            new DateOnly(2021, 7, 5),
            new DateOnly(2021, 7, 9),
            ReportsDaily: false,
            "Published totals are reproduced exactly (the migrant figure, published as about 4,000, is seeded at 4,000). "
            + "The participant list and the per-country split are an illustrative allocation made by seed-data/generator, not published data.",
            participants,
            [
                new("countriesParticipating", null, 47, Qualifier.Exact, source),
                new("arrests", Metric.Arrests, 286, Qualifier.Exact, source),
                new("victimsSafeguarded", Metric.VictimsSafeguarded, 430, Qualifier.Exact, source),
                new("irregularMigrants", Metric.IrregularMigrants, 4000, Qualifier.About, source),
                new("investigationsOpened", Metric.InvestigationsOpened, 60, Qualifier.Exact, source),
            ],
            new HashSet<Metric> { Metric.Arrests, Metric.VictimsSafeguarded, Metric.IrregularMigrants, Metric.InvestigationsOpened },
            rows);
    }

    /// <summary>
    /// One row per participant; each total split by country size (migration exposure for migrants,
    /// enforcement activity for the rest) with a per-country jitter, largest-remainder rounded.
    /// Small countries may get a reported 0, which is still a report.
    /// </summary>
    private static List<ReturnRow> Allocate(string code, IReadOnlyList<string> participants, Dictionary<Metric, int> totals)
    {
        var rows = participants.Select(country => new ReturnRow(country, null)).ToList();
        foreach (var (metric, total) in totals)
        {
            string column = Metrics.ColumnName(metric);
            var weights = participants.Select(country =>
            {
                var profile = Participants.ProfileOf(country);
                int scale = metric == Metric.IrregularMigrants ? profile.Migration : profile.Activity;
                return CountryProfile.Weight(scale) * SplitMix64.For(code, column, country).Next(60, 140);
            }).ToList();

            var parts = Allocation.LargestRemainder(total, weights);
            for (int i = 0; i < rows.Count; i++)
            {
                rows[i][metric] = parts[i];
            }
        }

        return rows;
    }

    /// <summary>A subset of each country's arrests, so weighted by and capped at them.</summary>
    private static void AllocateTraffickingArrests(string code, List<ReturnRow> rows, int total)
    {
        var weights = rows.Select(r => (long)r[Metric.Arrests]!.Value * SplitMix64.For(code, "traffickingShare", r.Country).Next(20, 50)).ToList();
        var caps = rows.Select(r => r[Metric.Arrests]!.Value).ToList();
        var parts = Allocation.LargestRemainder(total, weights, caps);
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i][Metric.ArrestsTraffickingSmuggling] = parts[i];
        }
    }
}
