using System.Globalization;

namespace Liberterra.SeedData;

/// <summary>
/// Everything the seed data promises, checked on the generated rows before any file is written.
/// The files are committed and a test compares them with the generator's output, so a mistake
/// caught here is a mistake that never reaches the repository. All problems are collected and
/// reported together.
/// </summary>
internal static class Invariants
{
    public const int MaxNotesLength = 2000;

    /// <summary>
    /// Columns an operation fills in without a published figure for them. Everything else that was
    /// not published stays blank: an invented column would be indistinguishable from a published
    /// one in the reporting system.
    /// </summary>
    private static readonly Dictionary<string, Metric[]> Derived = new(StringComparer.Ordinal)
    {
        // III's minors and exploitation breakdown come from each row's victims (seed-data/README.md).
        [LiberterraThree.Code] = [Metric.VictimsMinors, .. Metrics.Exploitation],
    };

    /// <summary>Unpublished columns that a named fact gives one country a value in; only that country reports them.</summary>
    private static readonly Dictionary<(string Operation, Metric Metric), string[]> NamedCountryColumns = new()
    {
        [("liberterra-i", Metric.ForgedDocumentsSeized)] = ["TZA"],
    };

    public static void Check(CountryCatalog countries, IReadOnlyList<Operation> operations)
    {
        var problems = new List<string>();
        foreach (var operation in operations)
        {
            var report = new Problems(operation.Code, problems);
            CheckParticipants(operation, countries, report);
            CheckRowSet(operation, report);
            foreach (var row in operation.Rows)
            {
                CheckRow(operation, row, report);
            }

            CheckEveryParticipantReports(operation, report);
            CheckPublishedFigures(operation, report);
        }

        var three = operations.Single(o => o.Code == LiberterraThree.Code);
        CheckLiberterraIIINamedFacts(three, new Problems(three.Code, problems));
        CheckLiberterraIIIShowsGapsAndStock(three, new Problems(three.Code, problems));
        var two = operations.Single(o => o.Code == "liberterra-ii");
        CheckLiberterraIINamedFacts(two, new Problems(two.Code, problems));
        var one = operations.Single(o => o.Code == "liberterra-i");
        CheckLiberterraINamedFacts(one, new Problems(one.Code, problems));

        if (problems.Count > 0)
        {
            throw new SeedInvariantException(
                $"{problems.Count} seed-data invariant(s) violated; nothing was written:\n  " + string.Join("\n  ", problems));
        }
    }

    /// <summary>Sum of a flow metric over all rows; not-reported cells contribute nothing.</summary>
    public static long Total(Operation operation, Metric metric) =>
        metric == Metrics.Stock ? OfficersStock(operation) : operation.Rows.Sum(r => (long)(r[metric] ?? 0));

    /// <summary>
    /// Officers deployed is a stock: per country, the most officers on duty on any one day; then
    /// summed over countries. See <see cref="NaiveSumOverDays"/> for the wrong way.
    /// </summary>
    public static long OfficersStock(Operation operation) =>
        operation.Rows.GroupBy(r => r.Country).Sum(g => (long)(g.Max(r => r[Metric.OfficersDeployed]) ?? 0));

    public static long NaiveSumOverDays(Operation operation, Metric metric) =>
        operation.Rows.Sum(r => (long)(r[metric] ?? 0));

    /// <summary>The largest value one return may carry: the trafficking-smuggling template's <c>max</c> for the indicator.</summary>
    public static int MaxValue(Metric metric) => metric == Metric.DatabaseChecks ? 100_000_000 : 1_000_000;

    private static void CheckParticipants(Operation operation, CountryCatalog countries, Problems report)
    {
        var participants = operation.Participants;
        report.Require(participants.SequenceEqual(participants.Order(StringComparer.Ordinal)), "participants must be sorted");
        report.Require(participants.Distinct().Count() == participants.Count, "participants must be unique");
        foreach (var code in participants.Where(c => !countries.Contains(c)))
        {
            report.Add($"participant {code} is not in countries.csv");
        }

        var count = operation.PublishedFigures.SingleOrDefault(f => f.Name == "countriesParticipating");
        report.Require(count is not null && count.Value == participants.Count,
            $"has {participants.Count} participants but publishes {count?.Value.ToString(CultureInfo.InvariantCulture) ?? "no count"}");
        report.Require(operation.StartDate <= operation.EndDate, "starts after it ends");
    }

    /// <summary>Daily operations: one row per participant per day. Whole-operation: one undated row per participant.</summary>
    private static void CheckRowSet(Operation operation, Problems report)
    {
        var expected = operation.ReportsDaily
            ? operation.Participants.SelectMany(c => operation.Days().Select(d => (c, (DateOnly?)d))).ToList()
            : operation.Participants.Select(c => (c, (DateOnly?)null)).ToList();
        var actual = operation.Rows.Select(r => (r.Country, r.Date)).ToList();

        report.Require(actual.Count == expected.Count, $"has {actual.Count} rows, expected {expected.Count}");
        report.Require(actual.Distinct().Count() == actual.Count, "has more than one row for a country and date");
        report.Require(expected.All(actual.Contains), "is missing a row for some participant and date");

        // Ordinal country order, then date (an undated whole-operation row first).
        var sorted = actual.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2 ?? DateOnly.MinValue).ToList();
        report.Require(actual.SequenceEqual(sorted), "rows must be sorted by country then date");
    }

    private static void CheckRow(Operation operation, ReturnRow row, Problems report)
    {
        var r = report.For(row);
        r.Require(operation.Participants.Contains(row.Country), "country is not a participant");
        if (operation.ReportsDaily)
        {
            r.Require(row.Date is { } d && d >= operation.StartDate && d <= operation.EndDate, "date outside the operation");
        }
        else
        {
            r.Require(row.Date is null, "a whole-operation return must have an empty date");
        }

        foreach (var metric in Metrics.All)
        {
            if (row[metric] is { } value)
            {
                r.Require(value >= 0 && value <= MaxValue(metric), $"{Metrics.ColumnName(metric)} = {value} is outside 0..{MaxValue(metric)}");
                r.Require(MayFillIn(operation, row.Country, metric),
                    $"{Metrics.ColumnName(metric)} is filled in, but this operation never published it and no published fact names this country for it");
            }
        }

        int? arrests = row[Metric.Arrests], trafficking = row[Metric.ArrestsTraffickingSmuggling];
        r.Require(trafficking is null || (arrests is not null && trafficking <= arrests), "trafficking arrests need arrests and may not exceed them");

        int? victims = row[Metric.VictimsSafeguarded], minors = row[Metric.VictimsMinors];
        r.Require(minors is null || (victims is not null && minors <= victims), "minors need victims and may not exceed them");

        var breakdown = Metrics.Exploitation.Select(m => row[m]).ToList();
        r.Require(breakdown.All(v => v is null) || (victims is not null && breakdown.Sum(v => v ?? 0) <= victims),
            "the exploitation breakdown needs victims and may not add up to more than them");

        r.Require((row.Notes?.Length ?? 0) <= MaxNotesLength, $"notes longer than {MaxNotesLength} characters");
    }

    private static bool MayFillIn(Operation operation, string country, Metric metric) =>
        operation.PublishedFigures.Any(f => f.Metric == metric)
        || (Derived.TryGetValue(operation.Code, out var derived) && derived.Contains(metric))
        || (NamedCountryColumns.TryGetValue((operation.Code, metric), out var countries) && countries.Contains(country));

    private static void CheckEveryParticipantReports(Operation operation, Problems report)
    {
        var reporting = operation.Rows.Where(r => Metrics.All.Any(m => r[m] is not null)).Select(r => r.Country).ToHashSet();
        foreach (var country in operation.Participants.Where(c => !reporting.Contains(c)))
        {
            report.Add($"participant {country} reports no metric at all");
        }
    }

    private static void CheckPublishedFigures(Operation operation, Problems report)
    {
        report.Require(operation.PublishedFigures.Select(f => f.Name).Distinct().Count() == operation.PublishedFigures.Count,
            "a published figure is listed twice");

        foreach (var figure in operation.PublishedFigures)
        {
            // The app matches a figure to its indicator by this name.
            report.Require(figure.Name == (figure.Metric is { } m ? Metrics.ColumnName(m) : "countriesParticipating"),
                $"figure {figure.Name} is not named after its column");
            if (figure.Metric is not { } metric)
            {
                continue; // countriesParticipating: checked with the participants
            }

            long total = Total(operation, metric);
            string got = $"{figure.Name}: seed total {total}, published {figure.Qualifier} {figure.Value}";
            switch (figure.Qualifier)
            {
                // An "about" figure has no better value to seed than the figure itself.
                case Qualifier.Exact or Qualifier.About:
                    report.Require(total == figure.Value, got);
                    break;

                // "More than X": above X, but within 5%, or the source would have quoted a higher round number.
                case Qualifier.MoreThan:
                    report.Require(total > figure.Value && total <= figure.Value * 105L / 100, got + " (must be above it, by at most 5%)");
                    break;

                // "Nearly X": below X, but within 2%, or the source would have quoted a lower round number.
                case Qualifier.Nearly:
                    report.Require(total < figure.Value && total * 100 >= figure.Value * 98L, got + " (must be below it, by at most 2%)");
                    break;

                default:
                    report.Add(got + ": unknown qualifier");
                    break;
            }
        }
    }

    /// <summary>The named facts of the published results (seed-data/README.md lists them).</summary>
    private static void CheckLiberterraIIINamedFacts(Operation op, Problems report)
    {
        string[] named =
        [
            "DZA", "SLV", "LAO", "GBR", "ALB", "MMR", "IND", "BEN", "BFA", "CIV", "GHA", "SEN", "SLE", "MAR", "GNB",
            "PER", "BRA", "PAK", "AFG", "MEX", "USA", "ESP", "MLI", "NGA", "BLZ", "MOZ", "CRI",
        ];
        foreach (var country in named.Where(c => !op.Participants.Contains(c)))
        {
            report.Add($"{country} is named in the published results but is not a participant");
        }

        IEnumerable<ReturnRow> Of(string country) => op.Rows.Where(r => r.Country == country);
        long TotalOf(string country, Metric metric) => Of(country).Sum(r => (long)(r[metric] ?? 0));
        bool AnyRow(string country, Func<ReturnRow, bool> predicate) => Of(country).Any(predicate);
        static int V(ReturnRow r, Metric m) => r[m] ?? 0;

        foreach (var country in new[] { "DZA", "SLV", "LAO", "GBR" })
        {
            report.Require(AnyRow(country, r => Note(r, "coordination unit")), $"{country}: coordination-unit note missing");
        }

        report.Require(AnyRow("MMR", r => V(r, Metric.VictimsSafeguarded) is >= 440 and <= 460
                && V(r, Metric.ForcedCriminality) * 2 > V(r, Metric.VictimsSafeguarded)
                && Note(r, "phones", "computers")),
            "MMR: no scam-compound day with about 450 victims, mostly forced criminality, and a note on phones and computers");

        report.Require(TotalOf("IND", Metric.VictimsSafeguarded) >= 125 && AnyRow("IND", r => Note(r, "125", "repatriat")),
            "IND: needs at least 125 victims and a note on the 125 nationals repatriated");

        string[] westAfrica = ["BEN", "BFA", "CIV", "GHA", "SEN", "SLE"];
        report.Require(westAfrica.Sum(c => TotalOf(c, Metric.VictimsSafeguarded)) > 200, "BEN/BFA/CIV/GHA/SEN/SLE: more than 200 victims together");
        foreach (var country in westAfrica)
        {
            report.Require(AnyRow(country, r => Note(r, "recruitment hub")), $"{country}: recruitment-hub note missing");
        }

        report.Require(AnyRow("SEN", r => V(r, Metric.IrregularMigrants) >= 245 && Note(r, "245")), "SEN: no day with the boat of 245 migrants");
        foreach (var country in new[] { "MAR", "DZA", "GNB" })
        {
            report.Require(AnyRow(country, r => V(r, Metric.IrregularMigrants) > 0 && Note(r, "at sea")), $"{country}: sea-interception day missing");
        }

        foreach (var country in new[] { "PER", "BRA" })
        {
            report.Require(AnyRow(country, r => V(r, Metric.Arrests) > 0 && Note(r, "smuggling")), $"{country}: land-smuggling arrests missing");
        }

        report.Require(AnyRow("BRA", r => Note(r, "frozen")), "BRA: note on frozen assets missing");
        report.Require(AnyRow("ESP", r => V(r, Metric.Sexual) > 0 && Note(r, "salon", "massage")), "ESP: sexual-exploitation case missing");
        report.Require(AnyRow("MLI", r => V(r, Metric.Sexual) >= 24 && Note(r, "Nigeria")), "MLI: dozens of women from Nigeria missing");
        report.Require(AnyRow("BLZ", r => V(r, Metric.VictimsMinors) >= 1 && V(r, Metric.ForcedLabour) >= 1 && Note(r, "glass factory")),
            "BLZ: children in a glass factory missing");
        report.Require(AnyRow("SLV", r => V(r, Metric.VictimsMinors) >= 1 && Note(r, "sold")), "SLV: the girl sold missing");
        report.Require(AnyRow("MOZ", r => V(r, Metric.OrganRemoval) >= 1 && V(r, Metric.VictimsMinors) >= 1 && Note(r, "organ")),
            "MOZ: the boy kidnapped for organ removal missing");
        report.Require(AnyRow("CRI", r => V(r, Metric.Arrests) >= 2 && V(r, Metric.VictimsMinors) >= 1 && Note(r, "explicit")),
            "CRI: arrests for coercing underage girls missing");

        foreach (var form in Metrics.Exploitation.Where(m => m != Metric.OtherExploitation))
        {
            report.Require(Total(op, form) > 0, $"no victim of {Metrics.ColumnName(form)}, which the results report");
        }
    }

    /// <summary>
    /// Liberterra II's named facts (seed-data/README.md lists them), each a lower bound in its
    /// country's whole-operation return, and the coordination units' database checks.
    /// </summary>
    private static void CheckLiberterraIINamedFacts(Operation op, Problems report)
    {
        var row = WholeOperationRows(op, report, "ARG", "MKD", "PHL", "SEN", "TUR", "TUN", "DZA", "SRB", "MNE", "MLI");
        if (row is null)
        {
            return;
        }

        foreach (var country in new[] { "ARG", "MKD", "PHL", "SEN" })
        {
            report.Require(Note(row[country], "coordination unit"), $"{country}: coordination-unit note missing");
        }

        report.Require(row["TUR"][Metric.IrregularMigrants] >= 1500 && row["TUR"][Metric.ArrestsTraffickingSmuggling] >= 94
                && Note(row["TUR"], "1,500", "94"),
            "TUR: needs at least 1,500 irregular migrants, 94 smuggling arrests and a note on both");
        report.Require(row["TUN"][Metric.IrregularMigrants] >= 27 && Note(row["TUN"], "27", "21", "minors"),
            "TUN: needs at least 27 irregular migrants and a note on the 21 minors");
        report.Require(row["DZA"][Metric.Arrests] >= 7 && Note(row["DZA"], "7 arrests", "money-laundering"),
            "DZA: needs at least 7 arrests and a note on the money-laundering charges");
        report.Require(row["SRB"][Metric.ArrestsTraffickingSmuggling] >= 12 && Note(row["SRB"], "12 arrests", "178"),
            "SRB: needs at least 12 smuggling arrests and a note on the 178 migrants moved");
        report.Require(row["MNE"][Metric.ArrestsTraffickingSmuggling] >= 11 && Note(row["MNE"], "11 arrests", "350"),
            "MNE: needs at least 11 smuggling arrests and a note on the 350 migrants");
        report.Require(row["PHL"][Metric.VictimsSafeguarded] > 250 && Note(row["PHL"], "250", "scam"),
            "PHL: needs more than 250 victims and a note on the scam-centre warehouse");
        report.Require(row["MLI"][Metric.VictimsSafeguarded] >= 24 && Note(row["MLI"], "24", "Togo"),
            "MLI: needs at least 24 victims and a note on the Togolese women");

        report.Require(op.Rows.Any(r => r[Metric.DatabaseChecks] > 1_000_000),
            "no return carries more than 1,000,000 database checks, so databaseChecks' raised max is never exercised");
    }

    /// <summary>Liberterra (I)'s named facts (seed-data/README.md lists them).</summary>
    private static void CheckLiberterraINamedFacts(Operation op, Problems report)
    {
        var row = WholeOperationRows(op, report, "TZA", "GBR", "BRA", "COL", "CUW", "PAN");
        if (row is null)
        {
            return;
        }

        report.Require(row["TZA"][Metric.ForgedDocumentsSeized] == 169 && row["TZA"][Metric.Arrests] >= 1 && Note(row["TZA"], "169", "forged passports"),
            "TZA: needs exactly 169 forged documents seized, an arrest and a note on the bus driver's passports");
        report.Require(op.Rows.Count(r => r[Metric.ForgedDocumentsSeized] is not null) == 1, "forgedDocumentsSeized is reported by a country other than TZA");
        report.Require(row["GBR"][Metric.Arrests] >= 6 && Note(row["GBR"], "six arrests"), "GBR: needs at least 6 arrests and a note on them");
        foreach (var country in new[] { "BRA", "COL", "CUW", "PAN" })
        {
            report.Require(row[country][Metric.Arrests] >= 1 && Note(row[country], "fugitives"), $"{country}: needs an arrest and a note on the fugitives detained");
        }
    }

    /// <summary>The named countries' returns by country, or null (reported) when one of them is not a participant.</summary>
    private static Dictionary<string, ReturnRow>? WholeOperationRows(Operation op, Problems report, params string[] named)
    {
        var missing = named.Where(c => !op.Participants.Contains(c)).ToList();
        foreach (var country in missing)
        {
            report.Add($"{country} is named in the published results but is not a participant");
        }

        return missing.Count > 0 ? null : op.Rows.Where(r => named.Contains(r.Country)).ToDictionary(r => r.Country, StringComparer.Ordinal);
    }

    private static bool Note(ReturnRow row, params string[] words) =>
        row.Notes is { } n && words.All(w => n.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The seed exists partly to exercise the reporting system's hard cases, so it must contain
    /// them: columns left blank (not reported) next to reported zeros, and an officers stock that
    /// is badly overstated if summed over days like a flow.
    /// </summary>
    private static void CheckLiberterraIIIShowsGapsAndStock(Operation op, Problems report)
    {
        int CountriesNeverReporting(Metric metric) =>
            op.Rows.GroupBy(r => r.Country).Count(g => g.All(r => r[metric] is null));

        report.Require(CountriesNeverReporting(Metric.InvestigationsOpened) >= 3, "fewer than 3 countries leave investigationsOpened blank");
        report.Require(CountriesNeverReporting(Metric.Sexual) >= 3, "fewer than 3 countries leave the exploitation breakdown blank");
        foreach (var metric in new[] { Metric.Arrests, Metric.VictimsSafeguarded, Metric.IrregularMigrants, Metric.InvestigationsOpened })
        {
            report.Require(op.Rows.Any(r => r[metric] == 0), $"no reported zero for {Metrics.ColumnName(metric)}");
        }

        long stock = OfficersStock(op), summed = NaiveSumOverDays(op, Metric.OfficersDeployed);
        report.Require(summed >= 5 * stock, $"officers summed over days ({summed}) is not far enough from the stock ({stock}) to expose the mistake");
        foreach (var g in op.Rows.GroupBy(r => r.Country))
        {
            int max = g.Max(r => r[Metric.OfficersDeployed] ?? 0), min = g.Min(r => r[Metric.OfficersDeployed] ?? 0);
            report.Require(max < 10 || min < max, $"{g.Key}: officers on duty never vary from day to day");
        }
    }

    /// <summary>Collects problem messages, prefixed with where they were found.</summary>
    private sealed class Problems(string prefix, List<string> sink)
    {
        public void Add(string message) => sink.Add(prefix + ": " + message);

        public void Require(bool condition, string message)
        {
            if (!condition)
            {
                Add(message);
            }
        }

        public Problems For(ReturnRow row) => new(prefix + " " + row, sink);
    }
}
