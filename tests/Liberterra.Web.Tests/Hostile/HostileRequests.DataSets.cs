using System.Globalization;

namespace Liberterra.Web.Tests;

/// <summary>
/// Hostile data sets (issue 13): definitions sent to create an operation ("indicators") or to add or change one indicator
/// (POST …/dataset/indicators), removals (DELETE …/dataset/indicators/{indicator}), and returns and CSV batches aimed at
/// "custom", an open operation with its own indicators whose labels hold markup. Every definition an admin sends is
/// invalid by construction (one <see cref="InvalidIndicatorChanges"/> entry is always applied last), every removal an
/// admin asks for names an indicator that is missing, has data, has parts, or belongs to a final operation, and every
/// custom return carries a poison, so nothing may change.
/// </summary>
internal static partial class HostileRequests
{
    internal const string CustomCode = "custom";
    internal const string Custom = "/api/v1/operations/" + CustomCode;

    /// <summary>Markup that would be live if a page wrote a label raw; the x-pwn attribute lets the rendering test find it.</summary>
    internal const string MarkupLabel = "<script x-pwn>alert(1)</script><img x-pwn src=x onerror=alert(1)>";

    /// <summary>
    /// The custom operation's data set: a flow with a subtotal and a breakdown, a stock with a small max, and one more
    /// flow; every label holds markup. Valid: labels are text, whatever they look like.
    /// </summary>
    internal static readonly string CustomIndicators = "[" + string.Join(",",
        Indicator("workplacesInspected", "flow", MarkupLabel + " workplaces"),
        Indicator("labourInspectors", "stock", "\"><svg x-pwn onload=alert(1)> inspectors", extra: "\"max\":500"),
        Indicator("casesReferred", "flow", "' x-pwn onmouseover='alert(1)"),
        Indicator("casesCriminal", "flow", "<a x-pwn href=\"javascript:alert(1)\">criminal</a>", extra: "\"partOf\":\"casesReferred\""),
        Indicator("casesBySector", "flow", "</td></tr></table><script x-pwn>alert(1)</script>", extra:
            "\"partOf\":\"casesReferred\",\"options\":[" + string.Join(",", new[] { "agriculture", "construction", "domesticWork" }
                .Select(o => $"{{\"code\":\"{o}\",\"label\":{{\"en\":{Json(MarkupLabel + " " + o)}}}}}")) + "]")) + "]";

    /// <summary>The custom data set's columns as a CSV batch names them; <see cref="CustomCsvValidCells"/> fills them.</summary>
    private static readonly string[] CustomCsvHeader =
    [
        "country", "date", "workplacesInspected", "labourInspectors", "casesReferred", "casesCriminal",
        "casesBySector.agriculture", "casesBySector.construction", "casesBySector.domesticWork", "notes",
    ];

    private static string[] CustomCsvValidCells(string country, string date) => [country, date, "5", "3", "4", "1", "2", "1", "", "csv row"];

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Indicator(string code, string kind, string label, string? extra = null) =>
        $"{{\"code\":\"{code}\",\"label\":{{\"en\":{Json(label)}}},\"kind\":\"{kind}\"{(extra is null ? string.Empty : "," + extra)}}}";

    private static List<KeyValuePair<string, string>> BaseIndicator(string code = "hostileAdded") =>
    [
        new("code", Q(code)),
        new("label", """{"en":"Hostile added"}"""),
        new("kind", Q("flow")),
    ];

    private static string Nested(string open, string close, string inner, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    private static string Options(int count, Func<int, string>? code = null) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{{\"code\":{Q(code?.Invoke(i) ?? "o" + i.ToString(CultureInfo.InvariantCulture))},\"label\":{{\"en\":\"O{i}\"}}}}")) + "]";

    /// <summary>Changes that leave a definition valid: hostile-looking, but text is text. Never sent without an invalid change.</summary>
    private static readonly (string Name, Action<List<KeyValuePair<string, string>>> Apply)[] ValidIndicatorDecorations =
    [
        ("markup label", f => Set(f, "label", $"{{\"en\":{Json(MarkupLabel)},\"fr\":{Json("\"><svg x-pwn onload=alert(1)>")}}}")),
        ("SQL label", f => Set(f, "label", """{"en":"'; DROP TABLE Operations;--"}""")),
        ("markup phrase", f => Set(f, "phrase", $"{{\"en\":{Json("{value} <script x-pwn>alert(1)</script>")}}}")),
        ("max 5", f => Set(f, "max", "5")),
        ("max 100,000,000", f => Set(f, "max", "100000000")),
        ("options", f => Set(f, "options", Options(3))),
        ("partOf inspections", f => Set(f, "partOf", Q("inspections"))),
    ];

    /// <summary>Changes that each make one indicator's definition invalid, whatever else it holds.</summary>
    private static readonly (string Name, Action<List<KeyValuePair<string, string>>> Apply)[] InvalidIndicatorChanges = BuildInvalidIndicatorChanges();

    private static (string, Action<List<KeyValuePair<string, string>>>)[] BuildInvalidIndicatorChanges()
    {
        var changes = new List<(string, Action<List<KeyValuePair<string, string>>>)>();
        void Add(string name, Action<List<KeyValuePair<string, string>>> apply) => changes.Add((name, apply));

        foreach (var code in new[]
                 {
                     "\"__proto__\"", "\"constructor\"", "\"prototype\"", "\"toString\"", "\"hasOwnProperty\"", "\"valueOf\"", "\"country\"", "\"date\"",
                     "\"notes\"", "\"version\"", "\"reportedBy\"", "\"Arrests\"", "\"1abc\"", "\"a-b\"", "\"a.b\"", "\"a b\"", "\"\"", "null", "\"" + new string('a', 65) + "\"",
                     "\"ａｂｃ\"", "\"abc\\u0000\"", "\"<script>\"", "\"$type\"", "\"\\ud800\"", "123", "[\"code\"]", "{\"en\":\"code\"}", "true",
                 })
        {
            Add($"code {Clip(code, 30)}", f => Set(f, "code", code));
        }

        Add("no code", f => f.RemoveAll(p => p.Key == "code"));
        Add("no label", f => f.RemoveAll(p => p.Key == "label"));
        Add("no kind", f => f.RemoveAll(p => p.Key == "kind"));
        foreach (var label in new[]
                 {
                     "null", "{}", "{\"fr\":\"Arrestations\"}", "{\"en\":\"\"}", "{\"en\":\"   \"}", "{\"en\":\"" + new string('l', 201) + "\"}",
                     "{\"en\":\"NUL \\u0000 here\"}", "{\"en\":\"bell \\u0007\"}", "{\"en\":\"line\\nbreak\"}", "{\"en\":\"tab\\there\"}", "{\"en\":\"del \\u007f\"}", "{\"en\":\"lone \\ud800\"}", "{\"en\":\"x\",\"\\udfff\":\"y\"}",
                     "{\"en\":{\"en\":\"x\"}}", "{\"en\":[\"x\"]}", "{\"en\":1}", "{\"en\":null}", "\"Arrests\"", "[\"en\",\"x\"]", "{\"EN\":\"x\"}",
                     "{\"en\":\"x\",\"<script>\":\"y\"}", "{\"en\":\"x\",\"__proto__\":\"y\"}", "{\"en\":\"x\",\"en\":\"y\"}", "{\"en\":\"x\",\"english-language\":\"y\"}",
                     "{" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"l{(char)('a' + i)}\":\"x\"").Prepend("\"en\":\"x\"")) + "}",
                     Nested("{\"en\":", "}", "\"x\"", 200), Nested("{\"en\":", "}", "\"x\"", 5_000), Nested("[", "]", "\"x\"", 5_000),
                 })
        {
            Add($"label {Clip(label, 40)}", f => Set(f, "label", label));
        }

        foreach (var kind in new[] { "\"Flow\"", "\"STOCK\"", "null", "\"\"", "\"flow \"", "\"subtotal\"", "\"breakdown\"", "1", "[\"flow\"]", "{\"flow\":true}", "\"fl\\u0000ow\"" })
        {
            Add($"kind {kind}", f => Set(f, "kind", kind));
        }

        foreach (var max in new[] { "1e400", "-1", "0", "\"5\"", "1.5", "1e3", "1000000001", "99999999999999999999", "-9223372036854775809", "true", "{}", "[5]", "NaN" })
        {
            Add($"max {max}", f => Set(f, "max", max));
        }

        foreach (var (name, partOf) in new[]
                 {
                     ("itself", "\"hostileAdded\""), ("nothing", "\"noSuchIndicator\""), ("__proto__", "\"__proto__\""), ("constructor", "\"constructor\""),
                     ("a number", "5"), ("an object", "{\"code\":\"arrests\"}"), ("an array", "[\"arrests\"]"), ("a stock", "\"officersDeployed\""),
                     ("a breakdown", "\"victimsByExploitation\""), ("a breakdown (custom)", "\"casesBySector\""), ("a long name", "\"" + new string('p', 5000) + "\""),
                 })
        {
            Add($"partOf {name}", f => Set(f, "partOf", partOf));
        }

        foreach (var (name, options) in new[]
                 {
                     ("no options", "[]"), ("51 options", Options(51)), ("10,000 options", Options(10_000)), ("option code 'not an id'", Options(2, i => i == 0 ? "not an id" : "b")),
                     ("option code 1a", Options(1, _ => "1a")), ("option code a.b", Options(1, _ => "a.b")), ("option code ''", Options(1, _ => string.Empty)),
                     ("option code <script>", Options(1, _ => "<script>")), ("option code a-b", Options(1, _ => "a-b")), ("option codes repeated", Options(2, _ => "same")),
                     ("option code null", "[{\"code\":null,\"label\":{\"en\":\"x\"}}]"), ("option without label", "[{\"code\":\"a\"}]"),
                     ("option label without en", "[{\"code\":\"a\",\"label\":{\"fr\":\"x\"}}]"), ("option label NUL", "[{\"code\":\"a\",\"label\":{\"en\":\"a\\u0000\"}}]"),
                     ("option null", "[null]"), ("option a number", "[1]"), ("options an object", "{\"a\":{\"en\":\"A\"}}"), ("options a string", "\"a,b\""),
                     ("options inside options", "[{\"code\":\"a\",\"label\":{\"en\":\"A\"},\"options\":" + Options(2) + "}]"),
                     ("options 300 deep", Nested("[{\"code\":\"a\",\"label\":{\"en\":\"A\"},\"options\":", "}]", "[]", 300)),
                     ("option with kind", "[{\"code\":\"a\",\"label\":{\"en\":\"A\"},\"kind\":\"flow\"}]"),
                 })
        {
            Add($"options: {name}", f => Set(f, "options", options));
        }

        foreach (var phrase in new[] { "{\"en\":\"no placeholder\"}", "{\"fr\":\"{value}\"}", "\"{value}\"", "{\"en\":\"{value} \\u0000\"}" })
        {
            Add($"phrase {phrase}", f => Set(f, "phrase", phrase));
        }

        foreach (var member in new[] { "id", "$type", "__proto__", "constructor", "values", "Code", "indicators", "" })
        {
            Add($"unknown member '{member}'", f => f.Add(new(member, "1")));
        }

        Add("duplicate code member", f => f.Add(new("code", Q("secondCode"))));
        Add("duplicate kind member", f => f.Add(new("kind", Q("stock"))));
        return [.. changes];
    }

    /// <summary>A definition of one indicator, hostile-looking and perhaps decorated, made invalid by its last change.</summary>
    private static (string Text, string Name) InvalidIndicator(Random random, string code = "hostileAdded")
    {
        var fields = BaseIndicator(code);
        var names = new List<string>();
        for (var i = random.Next(3); i > 0; i--)
        {
            var (name, apply) = Pick(random, ValidIndicatorDecorations);
            apply(fields);
            names.Add(name);
        }

        var (invalid, change) = Pick(random, InvalidIndicatorChanges);
        change(fields);
        names.Add(invalid);
        return (Render(fields), string.Join(" + ", names));
    }

    private static string CreateOperationBody(string indicators, string? extra = null) =>
        $"{{\"code\":\"hostile-data-set\",\"name\":\"Hostile data set\",\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-02\",\"participants\":[\"ESP\"]{(extra is null ? string.Empty : "," + extra)},\"indicators\":{indicators}}}";

    private static string ValidIndicators(int count, Func<int, string>? code = null) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => Indicator(code?.Invoke(i) ?? "i" + i.ToString(CultureInfo.InvariantCulture), "flow", "I" + i))) + "]";

    /// <summary>Whole data sets that are invalid as a whole, sent to create an operation; each alone must be refused.</summary>
    private static IEnumerable<(string Name, string Body)> InvalidDataSets()
    {
        yield return ("10,000 indicators", CreateOperationBody(ValidIndicators(10_000)));
        yield return ("101 indicators", CreateOperationBody(ValidIndicators(101)));
        yield return ("no indicators", CreateOperationBody("[]"));
        yield return ("a duplicate code", CreateOperationBody(ValidIndicators(3, i => i == 2 ? "i0" : "i" + i)));
        yield return ("partOf cycle of two", CreateOperationBody("[" + Indicator("a", "flow", "A", "\"partOf\":\"b\"") + "," + Indicator("b", "flow", "B", "\"partOf\":\"a\"") + "]"));
        yield return ("partOf cycle of three", CreateOperationBody("[" + Indicator("a", "flow", "A", "\"partOf\":\"c\"") + "," + Indicator("b", "flow", "B", "\"partOf\":\"a\"")
            + "," + Indicator("c", "flow", "C", "\"partOf\":\"b\"") + "]"));
        yield return ("partOf a cycle of 100", CreateOperationBody("[" + string.Join(",", Enumerable.Range(0, 100)
            .Select(i => Indicator("i" + i, "flow", "I" + i, $"\"partOf\":\"i{(i + 1) % 100}\""))) + "]"));
        yield return ("partOf itself", CreateOperationBody("[" + Indicator("a", "flow", "A", "\"partOf\":\"a\"") + "]"));
        yield return ("partOf of another kind", CreateOperationBody("[" + Indicator("a", "stock", "A") + "," + Indicator("b", "flow", "B", "\"partOf\":\"a\"") + "]"));
        yield return ("partOf a later stock", CreateOperationBody("[" + Indicator("b", "flow", "B", "\"partOf\":\"a\"") + "," + Indicator("a", "stock", "A") + "]"));
        yield return ("partOf a breakdown", CreateOperationBody("[" + Indicator("a", "flow", "A", "\"options\":" + Options(2)) + "," + Indicator("b", "flow", "B", "\"partOf\":\"a\"") + "]"));
        yield return ("partOf names nothing", CreateOperationBody("[" + Indicator("a", "flow", "A", "\"partOf\":\"arrests\"") + "]"));
        yield return ("indicators an object", CreateOperationBody("{\"a\":" + Indicator("a", "flow", "A") + "}"));
        yield return ("indicators a string", CreateOperationBody("\"arrests,victims\""));
        yield return ("indicators a number", CreateOperationBody("5"));
        yield return ("indicators [null]", CreateOperationBody("[null]"));
        yield return ("indicators [1]", CreateOperationBody("[1]"));
        yield return ("indicators nested in arrays", CreateOperationBody("[" + ValidIndicators(2) + "]"));
        yield return ("indicators 10,000 arrays deep", CreateOperationBody(Nested("[", "]", Indicator("a", "flow", "A"), 10_000)));
        yield return ("indicators and a template", CreateOperationBody(ValidIndicators(1), "\"dataSet\":\"trafficking-smuggling\""));
        foreach (var template in new[] { "\"unknown\"", "\"TRAFFICKING-SMUGGLING\"", "\"\"", "1", "[\"trafficking-smuggling\"]", "\"__proto__\"", "\"constructor\"", "{}" })
        {
            yield return ($"dataSet {template}",
                $"{{\"code\":\"hostile-data-set\",\"name\":\"Hostile data set\",\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-02\",\"participants\":[\"ESP\"],\"dataSet\":{template}}}");
        }
    }

    /// <summary>Hostile names for an indicator in a DELETE path; none names an indicator of drill or custom.</summary>
    private static readonly string[] HostileIndicatorNames =
    [
        "__proto__", "constructor", "prototype", "toString", "ARRESTS", "Arrests", "arrests%00", "arrests%20", "%20arrests", "arrests.x", "victimsByExploitation.sexual",
        "casesBySector.agriculture", "%2e%2e", "..", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%27%20OR%201=1--", "%ff%fe", new string('i', 5000), "inspections%2f..",
        "noSuchIndicator", "null", "undefined", "0", "-1", "%E2%80%AE", "ｉｎｓｐｅｃｔｉｏｎｓ",
    ];

    /// <summary>Indicators an admin may try to remove and must be refused: they have data, have parts, or belong to a final operation.</summary>
    private static readonly string[] RefusedRemovals =
    [
        Drill + "/dataset/indicators/arrests", Drill + "/dataset/indicators/officersDeployed", Drill + "/dataset/indicators/victimsByExploitation",
        Drill + "/dataset/indicators/victimsSafeguarded", Drill + "/dataset/indicators/victimsMinors", Custom + "/dataset/indicators/casesReferred",
        Custom + "/dataset/indicators/workplacesInspected", Custom + "/dataset/indicators/casesBySector", Three + "/dataset/indicators/inspections",
        Three + "/dataset/indicators/arrests", Three + "/dataset/indicators/flightsMonitored",
    ];

    /// <summary>A data-set write: a definition for a new operation, an indicator to add or change, or one to remove.</summary>
    private static Probe DataSetProbe(Random random, int index)
    {
        var caller = random.Next(4) == 0 ? Pick(random, AllCallers.Where(c => c is not Admin).ToList()) : Admin;
        switch (random.Next(3))
        {
            case 0:
            {
                var indicators = new List<string> { Indicator("seized", "flow", "Seized") };
                var (hostile, name) = InvalidIndicator(random, Pick(random, new[] { "hostileAdded", "seized", "other" }));
                indicators.Insert(random.Next(indicators.Count + 1), hostile);
                var body = CreateOperationBody("[" + string.Join(",", indicators) + "]");
                return new ProbeDraft("/api/v1/operations", caller).ToProbe($"data set #{index} create with {name}", Encode(body), true);
            }

            case 1:
            {
                var operation = Pick(random, new[] { Drill, Drill, Custom, Custom, Three, "/api/v1/operations/" + Pick(random, HostileCodes) });
                var code = Pick(random, new[] { "hostileAdded", "inspections", "arrests", "casesReferred", "casesBySector", "officersDeployed" });
                var (text, name) = InvalidIndicator(random, code);
                var draft = new ProbeDraft(operation + "/dataset/indicators", caller);
                if (random.Next(8) == 0)
                {
                    draft.ContentType = Pick(random, WrongContentTypes);
                }

                return draft.ToProbe($"data set #{index} indicator {name}", Encode(text), true);
            }

            default:
            {
                // Anyone but an admin may aim at any indicator; an admin only at one that cannot be removed.
                var path = caller == Admin || random.Next(2) == 0
                    ? random.Next(2) == 0 ? Pick(random, RefusedRemovals) : $"{Pick(random, new[] { Drill, Custom, Three })}/dataset/indicators/{Pick(random, HostileIndicatorNames)}"
                    : $"{Pick(random, new[] { Drill, Custom })}/dataset/indicators/{Pick(random, new[] { "inspections", "labourInspectors", "databaseChecks" })}";
                var body = random.Next(4) == 0 ? Encode(Pick(random, HostileStrings)) : null;
                return new ProbeDraft(path, caller).ToProbe($"data set #{index} remove {Clip(path, 80)}", body, true, HttpMethod.Delete);
            }
        }
    }

    /// <summary>Every hostile definition once, each whole data set once, and every removal an admin must be refused.</summary>
    private static IEnumerable<Probe> FixedDataSetProbes()
    {
        foreach (var (name, change) in InvalidIndicatorChanges)
        {
            var fields = BaseIndicator();
            change(fields);
            var indicator = Render(fields);
            yield return new ProbeDraft($"{Drill}/dataset/indicators", Admin).ToProbe($"add indicator with {name}", Encode(indicator), true);
            yield return new ProbeDraft($"{Custom}/dataset/indicators", Admin).ToProbe($"add indicator to custom with {name}", Encode(indicator), true);
            yield return new ProbeDraft("/api/v1/operations", Admin).ToProbe($"create operation with an indicator with {name}",
                Encode(CreateOperationBody("[" + Indicator("seized", "flow", "Seized") + "," + indicator + "]")), true);
        }

        foreach (var (name, body) in InvalidDataSets())
        {
            yield return new ProbeDraft("/api/v1/operations", Admin).ToProbe($"create operation with {name}", Encode(body), true);
        }

        // Changing what an indicator that has data counts (its kind, max or options; a new label alone is allowed), or making
        // an existing one invalid in the data set as a whole.
        foreach (var (path, body) in new[]
                 {
                     (Drill, Indicator("arrests", "flow", "Arrests", "\"max\":5")), (Drill, Indicator("officersDeployed", "flow", "Officers")),
                     (Drill, Indicator("victimsByExploitation", "flow", "Victims by exploitation", "\"options\":" + Options(2))),
                     (Drill, Indicator("inspections", "flow", "Inspections", "\"partOf\":\"inspections\"")),
                     (Drill, Indicator("arrests", "flow", "Arrests", "\"partOf\":\"arrestsTraffickingSmuggling\"")),
                     (Drill, Indicator("inspections", "stock", "Inspections", "\"partOf\":\"arrests\"")),
                     (Custom, Indicator("casesReferred", "stock", "Cases")), (Custom, Indicator("casesCriminal", "flow", "Cases", "\"partOf\":\"casesBySector\"")),
                     (Three, Indicator("hostileAdded", "flow", "Valid, but the operation is final")),
                 })
        {
            yield return new ProbeDraft($"{path}/dataset/indicators", Admin).ToProbe($"change {Clip(body, 60)}", Encode(body), true);
        }

        // 101 indicators: drill's template holds 13, so 88 more added one by one would pass; one body cannot carry them.
        yield return new ProbeDraft($"{Drill}/dataset/indicators", Admin).ToProbe("an array of indicators to add", Encode(ValidIndicators(3)), true);

        foreach (var path in RefusedRemovals.Concat(HostileIndicatorNames.SelectMany(name => new[] { $"{Drill}/dataset/indicators/{name}", $"{Custom}/dataset/indicators/{name}" })))
        {
            yield return new ProbeDraft(path, Admin).ToProbe($"remove {Clip(path, 80)}", null, true, HttpMethod.Delete);
        }

        foreach (var code in HostileCodes)
        {
            yield return Get($"/api/v1/operations/{code}/dataset", Pick(new Random(code.Length), new[] { Admin, Spain, AnalystCaller }));
            yield return new ProbeDraft($"/api/v1/operations/{code}/dataset/indicators", Admin).ToProbe($"add indicator to code {Clip(code, 30)}",
                Encode(Indicator("hostileAdded", "flow", "Hostile added")), true);
            yield return new ProbeDraft($"/api/v1/operations/{code}/dataset/indicators/inspections", Admin).ToProbe($"remove from code {Clip(code, 30)}", null, true, HttpMethod.Delete);
        }

        // Returns for the custom data set that are wrong by themselves, with no poison: the issue's own examples.
        foreach (var (name, field, raw) in new[]
                 {
                     ("a breakdown sent as a number", "casesBySector", "3"), ("a number sent as an object", "casesReferred", "{\"agriculture\":1}"),
                     ("a number sent as {value}", "workplacesInspected", "{\"value\":1}"), ("an option named __proto__", "casesBySector", "{\"__proto__\":1}"),
                     ("an option named constructor", "casesBySector", "{\"constructor\":1}"), ("a field named __proto__", "__proto__", "{\"casesReferred\":1}"),
                     ("a field named constructor", "constructor", "1"), ("a field named prototype", "prototype", "1"), ("a template field", "arrests", "1"),
                     ("a template breakdown", "victimsByExploitation", "{\"sexual\":1}"), ("an option as a field", "casesBySector.agriculture", "1"),
                     ("an option repeated", "casesBySector", "{\"agriculture\":1,\"agriculture\":2}"), ("a breakdown as an array", "casesBySector", "[1,2]"),
                     ("a stock above its max", "labourInspectors", "501"), ("an option named by a lone surrogate", "casesBySector", "{\"\\ud800\":1}"),
                     ("a field named by a lone surrogate", LoneSurrogateKey, "1"), ("notes holding a lone surrogate", "notes", "\"\\udfff\\ud800\""),
                     ("a country holding a lone surrogate", "country", "\"ES\\ud800\""),
                 })
        {
            var fields = CustomReturn();
            Set(fields, field, raw);
            var text = Render(fields).Replace(Q(LoneSurrogateKey), "\"\\ud800\"", StringComparison.Ordinal);
            yield return new ProbeDraft($"{Custom}/returns", Admin).ToProbe($"custom return with {name}", Encode(text), true);
            yield return new ProbeDraft($"{Custom}/returns/batch", Admin).ToProbe($"custom batch with {name}", Encode("[" + text + "]"), true);
        }

        // A field given twice is refused in a batch's row as it is in a single return, on either kind of data set.
        foreach (var (path, fields, name, raw) in new[]
                 {
                     (Custom, CustomReturn(), "casesReferred", "3"), (Custom, CustomReturn(), "country", Q("SEN")), (Drill, BaseReturn(date: "2026-11-04"), "arrests", "9"),
                     (Drill, BaseReturn(date: "2026-11-04"), "notes", Q("second")),
                 })
        {
            fields.Add(new(name, raw));
            yield return new ProbeDraft($"{path}/returns", Admin).ToProbe($"return with {name} twice", Encode(Render(fields)), true);
            yield return new ProbeDraft($"{path}/returns/batch", Admin).ToProbe($"batch row with {name} twice", Encode("[" + Render(fields) + "]"), true);
        }

        // CSV headers that name a breakdown whole, a number's option, or something that is no column at all.
        foreach (var (path, header, cells) in new[] { (Custom, CustomCsvHeader, CustomCsvValidCells("ESP", "2026-11-04")), (Drill, CsvHeader, CsvValidCells("ESP", "2026-11-04")) })
        {
            foreach (var column in new[] { "victimsByExploitation", "arrests.x", "casesBySector", "casesReferred.x", "casesBySector.__proto__", "__proto__", "constructor",
                         "casesBySector.", ".agriculture", "casesBySector.agriculture.extra", "victimsByExploitation.__proto__", "arrests.", "inspections.total" })
            {
                var csv = string.Join(",", header) + "," + column + "\n" + string.Join(",", cells) + ",1\n";
                yield return new ProbeDraft($"{path}/returns/batch", Admin) { ContentType = "text/csv" }.ToProbe($"csv header {column} on {Clip(path, 40)}", Encode(csv), true);
            }
        }
    }

    /// <summary>Stands in for a field name escaped as a lone surrogate, which no .NET string can be serialised into.</summary>
    private const string LoneSurrogateKey = "loneSurrogateKey";

    private static List<KeyValuePair<string, string>> CustomReturn(string country = "ESP", string date = "2026-11-04") =>
    [
        new("country", Q(country)),
        new("date", Q(date)),
        new("workplacesInspected", "5"),
        new("labourInspectors", "3"),
        new("casesReferred", "4"),
        new("casesCriminal", "1"),
        new("casesBySector", """{"agriculture":2,"construction":1}"""),
        new("notes", Q("routine")),
    ];

    private static readonly string[] CustomMetricFields = ["workplacesInspected", "labourInspectors", "casesReferred", "casesCriminal"];

    private static readonly Poison[] CustomFieldPoisons =
    [
        new("date after the window", ["date"], d => Set(d.Fields, "date", Q("2026-12-25"))),
        new("negative workplaces", ["workplacesInspected"], d => Set(d.Fields, "workplacesInspected", "-1")),
        new("subtotal above total", ["casesReferred", "casesCriminal"], d =>
        {
            Set(d.Fields, "casesReferred", "4");
            Set(d.Fields, "casesCriminal", "9");
        }),
        new("breakdown above total", ["casesReferred", "casesBySector"], d =>
        {
            Set(d.Fields, "casesReferred", "4");
            Set(d.Fields, "casesBySector", """{"agriculture":3,"domesticWork":3}""");
        }),
        new("stock above its max", ["labourInspectors"], d => Set(d.Fields, "labourInspectors", "501")),
        new("unknown country", ["country"], d => Set(d.Fields, "country", Q("XXX"))),
        new("a template field", [], d => d.Fields.Add(new("arrests", "1"))),
    ];

    /// <summary>The request poisons that do not depend on drill's path, and custom's own unknown operation.</summary>
    private static readonly Poison[] CustomRequestPoisons =
    [
        .. RequestPoisons.Where(p => p.Name is not ("final operation" or "unknown operation")),
        new("unknown operation", [], d => d.Path = d.Path.Replace(Custom, "/api/v1/operations/no-such-op", StringComparison.Ordinal), RowLevel: false),
    ];

    /// <summary>One hostile change to a custom return: the issue's wrong shapes, odd names and deep nesting.</summary>
    private static Mutation CustomMutation(Random random)
    {
        var metric = Pick(random, CustomMetricFields);
        var number = Pick(random, HostileNumbers);
        var unknown = Pick(random, UnknownFields.Concat(["prototype", "toString", "arrests", "victimsByExploitation", "casesBySector.agriculture"]).ToList());
        var option = Pick(random, new[] { "agriculture", "construction", "domesticWork", "__proto__", "constructor", "prototype", "Agriculture", "mining", "", "a.b", "0" });
        var depth = random.Next(2, 300);
        return random.Next(10) switch
        {
            0 => new($"breakdown as {number}", ["casesBySector"], f => Set(f, "casesBySector", number)),
            1 => new($"{metric} as an object", [metric], f => Set(f, metric, $"{{\"{option}\":1}}")),
            2 => new($"{metric}={number}", [metric], f => Set(f, metric, number)),
            3 => new($"option '{option}'={number}", ["casesBySector"], f => Set(f, "casesBySector", $"{{{Json(option)}:{number}}}")),
            4 => new($"unknown field '{unknown}'", [], f => f.Add(new(unknown, random.Next(2) == 0 ? "1" : "{\"agriculture\":1}"))),
            5 => new($"breakdown {depth} deep", ["casesBySector"], f => Set(f, "casesBySector", Nested("{\"agriculture\":", "}", "1", depth))),
            6 => new($"{metric} {depth} arrays deep", [metric], f => Set(f, metric, Nested("[", "]", "1", depth))),
            7 => new("duplicate breakdown", ["casesBySector"], f => f.Add(new("casesBySector", """{"construction":1}"""))),
            8 => new($"option '{option}' repeated", ["casesBySector"], f => Set(f, "casesBySector", $"{{{Json(option)}:1,{Json(option)}:1}}")),
            _ => Malformation(random.Next(12), random.Next()),
        };
    }

    private static Probe CustomReturnProbe(Random random, int index)
    {
        var mutation = CustomMutation(random);
        var batch = random.Next(3) == 0;
        var draft = new ProbeDraft($"{Custom}/returns" + (batch ? "/batch" : string.Empty), random.Next(4) == 0 ? Spain : Admin, CustomReturn());
        mutation.Apply(draft.Fields);
        var poison = PoisonFor(random, mutation, [.. CustomFieldPoisons, .. CustomRequestPoisons]);
        poison.Apply(draft);
        var text = Render(draft.Fields);
        text = mutation.Text?.Invoke(text) ?? text;
        return draft.ToProbe($"custom #{index} {(batch ? "batch " : string.Empty)}{mutation.Name} + {poison.Name}", Encode(batch ? "[" + text + "]" : text, Pick(random, InvalidUtf8)), mustReject: true);
    }

    private static Probe CustomCsvProbe(Random random, int index)
    {
        var header = CustomCsvHeader.ToArray();
        var cells = CustomCsvValidCells(Pick(random, new[] { "ESP", "SEN" }), Pick(random, BatchDays));
        var column = random.Next(2, header.Length - 1);
        string name;
        if (random.Next(2) == 0)
        {
            // A header that is no column of custom's: the batch is refused whole.
            var hostile = Pick(random, new[] { "casesBySector", "casesReferred.x", "casesBySector.mining", "casesBySector.__proto__", "arrests", "victimsByExploitation.sexual", "__proto__", "constructor" });
            header[column] = hostile;
            name = $"header {hostile}";
        }
        else
        {
            cells[column] = Pick(random, new[] { "1e3", "5.0", "-1", "abc", "{\"a\":1}", "[1]", "99999999999", "501" });
            name = $"{header[column]}={cells[column]}";
        }

        // The poison, on the date, which the hostile change (from the third column on) left alone.
        cells[1] = "2026-12-25";
        var csv = string.Join(",", header) + "\n" + string.Join(",", cells.Select(CsvCell)) + "\n";
        return new ProbeDraft($"{Custom}/returns/batch", Admin) { ContentType = "text/csv" }.ToProbe($"custom csv #{index} {name} + date after the window", Encode(csv), true);
    }
}
