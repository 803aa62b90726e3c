using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FluentAssertions.Execution;
using Liberterra.Core.Csv;
using static Liberterra.Web.Tests.HostileRequests;

namespace Liberterra.Web.Tests;

/// <summary>Hostile text that is valid input is stored, and shown as text: the dashboard never turns it into markup.</summary>
public sealed partial class HostileInputTests
{
    /// <summary>
    /// Script, HTML, SVG, attribute-breaking and javascript: payloads. Every element or attribute one of them could create
    /// carries an x-pwn attribute, so if it ever survived as markup it can be found; the rest (on* handlers,
    /// javascript: URLs) is looked for across the whole page.
    /// </summary>
    private static readonly string[] MarkupPayloads =
    [
        "<script x-pwn>alert(1)</script>",
        "<img x-pwn src=x onerror=alert(1)>",
        "<svg x-pwn onload=alert(1)><circle r=9 /></svg>",
        "<iframe x-pwn src=\"javascript:alert(1)\"></iframe>",
        "\"><script x-pwn>alert(1)</script>",
        "' x-pwn onmouseover='alert(1)",
        "\" x-pwn onfocus=\"alert(1)\" autofocus=\"",
        "javascript:alert(1)",
        "<a x-pwn href=\"javascript:alert(1)\">click</a>",
        "</td></tr></tbody></table><script x-pwn>alert(1)</script>",
        "<!-- <script x-pwn>alert(1)</script> -->",
        "<![CDATA[<script x-pwn>alert(1)</script>]]>",
        "<style x-pwn>body{display:none}</style>",
        "<base x-pwn href=\"//evil.example/\">",
        "<meta x-pwn http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<math><mtext><table><mglyph><style><img x-pwn src=x onerror=alert(1)>",
        "<form x-pwn action=\"javascript:alert(1)\"><button x-pwn>go</button></form>",
        "<object x-pwn data=\"javascript:alert(1)\"></object>",
        "<svg><a x-pwn xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "&lt;script x-pwn&gt;alert(1)&lt;/script&gt; &#x3C;img x-pwn src=x onerror=alert(1)&#x3E;",
        "<scr<script x-pwn>ipt x-pwn>alert(1)</script>",
        "<details x-pwn open ontoggle=alert(1)>",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
    ];

    private const string MarkupName = "<script x-pwn>alert(1)</script>\"><img x-pwn src=x onerror=alert(1)> ' x-pwn onmouseover='alert(1)";

    [Fact]
    public async Task HostileNotesAndOperationNamesAreAcceptedAndEveryPageShowsThemAsTextNeverAsMarkup()
    {
        using var app = LiberterraApp.Production();
        var drill = await ApiDrill.CreateAsync(app, code: null, units: ["ESP"]);
        using var admin = drill.Admin;
        using var spain = drill.Unit("ESP");

        // Two operations alike in all but their text: "markup" carries the payloads, "plain" is the control.
        foreach (var (code, name) in new[] { ("markup", MarkupName), ("plain", "Plain operation") })
        {
            await ApiDrill.CreateOperationAsync(admin, code, name);
            for (var i = 0; i < MarkupPayloads.Length; i++)
            {
                var notes = code == "markup" ? MarkupPayloads[i] : $"plain note {i}";
                using var posted = await spain.PostAsync($"/api/v1/operations/{code}/returns", new StringContent(
                    JsonSerializer.Serialize(new { country = "ESP", date = "2026-11-01", arrests = 3, officersDeployed = 12, notes }), Encoding.UTF8, "application/json"));
                posted.StatusCode.Should().Be(i == 0 ? HttpStatusCode.Created : HttpStatusCode.OK, "hostile-looking notes are valid notes: " + notes);
            }
        }

        await app.AddUserAsync("reader@liberterra.test", "correct-horse-battery");
        using var browser = app.Browser();
        (await browser.SignInAsync("reader@liberterra.test", "correct-horse-battery")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        // The check itself can fail: the same payloads, were they written into a page raw, are found.
        var detectable = MarkupPayloads.Count(p => MarkupFrom(new HtmlParser().ParseDocument("<table><tr><td>" + p)).Count > 0);
        detectable.Should().BeGreaterThan(MarkupPayloads.Length / 2);

        using var scope = new AssertionScope();
        var pages = 0;
        var live = 0;
        foreach (var suffix in new[] { "", "/countries/ESP", "/completeness", "/press", "?q=%3Cscript%3E&sort=country&dir=desc&metric=victimsMinors" })
        {
            var hostile = await PageAsync(browser, "/operations/markup" + suffix);
            var control = await PageAsync(browser, "/operations/plain" + suffix);
            TagCounts(hostile).Should().Equal(TagCounts(control), $"/operations/markup{suffix} has exactly the elements of the same page without payloads");
            var findings = MarkupFrom(hostile);
            findings.Should().BeEmpty($"nothing on /operations/markup{suffix} may come from a payload");
            live += findings.Count;
            hostile.QuerySelector("h1, .breadcrumb a")?.TextContent.Should().Contain("<script x-pwn>", "the operation name is shown as text");
            pages++;
        }

        var country = await PageAsync(browser, "/operations/markup/countries/ESP");
        country.QuerySelectorAll("#history td.notes").Select(cell => cell.TextContent).Should().BeEquivalentTo(MarkupPayloads, "every version's notes are shown verbatim, as text");

        // Pages with every operation on them, and pages that echo a query string.
        foreach (var path in new[]
                 {
                     "/compare", "/reconciliation", "/", "/operations/markup?q=" + Uri.EscapeDataString(MarkupPayloads[4]),
                     "/operations/markup?metric=" + Uri.EscapeDataString(MarkupPayloads[5]) + "&sort=" + Uri.EscapeDataString(MarkupPayloads[8]),
                     DashboardSignIn.SignInPath + "?ReturnUrl=" + Uri.EscapeDataString(MarkupPayloads[6]), "/account/sign-out", "/account/denied",
                 })
        {
            var page = await PageAsync(browser, path, followRedirect: path == "/");
            var findings = MarkupFrom(page);
            findings.Should().BeEmpty($"nothing on {path} may come from a payload");
            live += findings.Count;
            pages++;
        }

        // A region the dashboard does not know is refused with the API's problem, in JSON: the payload never reaches a page.
        using (var refused = await browser.GetAsync("/operations/markup?region=" + Uri.EscapeDataString(MarkupPayloads[6])))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }

        // Notes and names reach no CSV today; were they ever to, a cell starting =, +, - or @ would run as a formula in a spreadsheet.
        var cells = 0;
        foreach (var export in new[] { "/operations/markup/export/countries.csv", "/operations/markup/export/timeline.csv" })
        {
            using var response = await browser.GetAsync(export);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var records = CsvText.Parse(new StringReader(await response.Content.ReadAsStringAsync()));
            var starts = records.SelectMany(r => r).Where(cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal)).ToList();
            starts.Should().BeEmpty($"{export} must not hold a cell a spreadsheet would read as a formula");
            cells += records.Sum(r => r.Length);
        }

        output.WriteLine($"RELIABILITY hostile-render provider={app.Database.Engine} payloads={MarkupPayloads.Length} detectableIfRaw={detectable} pages={pages} csvCells={cells} live={live}");
    }

    /// <summary>
    /// Indicator and option labels are the operation's own text (issue 13): markup in them is accepted, and every page
    /// that shows them (cards, charts, table columns, the metric selector, the country page, the press summary) shows
    /// it as text. The control operation has the same indicators with plain labels.
    /// </summary>
    [Fact]
    public async Task IndicatorLabelsHoldingMarkupAreShownAsTextOnEveryPage()
    {
        using var app = LiberterraApp.Production();
        var drill = await ApiDrill.CreateAsync(app, code: null, units: ["ESP"]);
        using var admin = drill.Admin;
        using var spain = drill.Unit("ESP");
        var plainIndicators = CustomIndicators;
        foreach (var payload in new[] { MarkupLabel, "\"><svg x-pwn onload=alert(1)>", "' x-pwn onmouseover='alert(1)", "<a x-pwn href=\"javascript:alert(1)\">criminal</a>", "</td></tr></table><script x-pwn>alert(1)</script>" })
        {
            plainIndicators = plainIndicators.Replace(JsonSerializer.Serialize(payload)[1..^1], "plain", StringComparison.Ordinal);
        }

        plainIndicators.Should().NotContain("x-pwn", "the control's labels are plain");
        foreach (var (code, indicators) in new[] { ("markup-labels", CustomIndicators), ("plain-labels", plainIndicators) })
        {
            var body = $$"""{"code":"{{code}}","name":"Labels","startDate":"{{ApiDrill.StartDate}}","endDate":"{{ApiDrill.EndDate}}","participants":["ESP"],"indicators":{{indicators}}}""";
            using (var created = await admin.PostAsync("/api/v1/operations", new StringContent(body, Encoding.UTF8, "application/json")))
            {
                created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            }

            using var posted = await spain.PostAsync($"/api/v1/operations/{code}/returns", new StringContent(
                """{"country":"ESP","date":"2026-11-01","workplacesInspected":6,"labourInspectors":4,"casesReferred":5,"casesCriminal":2,"casesBySector":{"agriculture":3,"domesticWork":1}}""",
                Encoding.UTF8, "application/json"));
            posted.StatusCode.Should().Be(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
        }

        // The API hands the labels back exactly as defined.
        var dataSet = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/operations/markup-labels/dataset")).RootElement;
        dataSet.GetProperty("indicators")[0].GetProperty("label").GetProperty("en").GetString().Should().Be(MarkupLabel + " workplaces");

        await app.AddUserAsync("labels@liberterra.test", "correct-horse-battery");
        using var browser = app.Browser();
        (await browser.SignInAsync("labels@liberterra.test", "correct-horse-battery")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var scope = new AssertionScope();
        foreach (var suffix in new[] { "", "/countries/ESP", "/completeness", "/press", "?metric=casesReferred&sort=casesBySector.agriculture&dir=desc" })
        {
            var hostile = await PageAsync(browser, "/operations/markup-labels" + suffix);
            var control = await PageAsync(browser, "/operations/plain-labels" + suffix);
            MarkupFrom(hostile).Should().BeEmpty($"no label on /operations/markup-labels{suffix} may become markup");
            TagCounts(hostile).Should().Equal(TagCounts(control), $"/operations/markup-labels{suffix} has exactly the elements of the same page with plain labels");
        }

        // The dashboard shows the labels, as text.
        var dashboard = await PageAsync(browser, "/operations/markup-labels");
        dashboard.Body!.TextContent.Should().Contain("<script x-pwn>alert(1)</script>", "an indicator's label is shown, as text");

        foreach (var path in new[] { "/compare", "/reconciliation" })
        {
            MarkupFrom(await PageAsync(browser, path)).Should().BeEmpty($"no label on {path} may become markup");
        }
    }

    private static async Task<IDocument> PageAsync(HttpClient browser, string path, bool followRedirect = false)
    {
        using var response = await browser.GetAsync(path);
        if (followRedirect && response.Headers.Location is { } location)
        {
            return await PageAsync(browser, location.OriginalString);
        }

        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        response.Headers.TryGetValues("Content-Security-Policy", out var policies).Should().BeTrue($"{path} carries a Content-Security-Policy");
        policies?.Single().Should().Contain("script-src 'self'").And.Contain("object-src 'none'").And.Contain("base-uri 'none'");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<KeyValuePair<string, int>> TagCounts(IDocument page) =>
        page.All.GroupBy(e => e.LocalName).Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    /// <summary>Anything on the page that could only have come from a payload, or that would run script.</summary>
    private static List<string> MarkupFrom(IDocument page)
    {
        var findings = new List<string>();
        foreach (var element in page.All)
        {
            if (element.HasAttribute("x-pwn"))
            {
                findings.Add("element from a payload: " + Clip(element.OuterHtml, 120));
            }

            if (element.LocalName is "script" && !(element.GetAttribute("src") ?? string.Empty).StartsWith("/js/", StringComparison.Ordinal))
            {
                findings.Add("inline or foreign script: " + Clip(element.OuterHtml, 120));
            }

            if (element.LocalName is "iframe" or "object" or "embed" or "base" or "frame")
            {
                findings.Add("embedding element: " + Clip(element.OuterHtml, 120));
            }

            foreach (var attribute in element.Attributes)
            {
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                if (attribute.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add($"event handler {attribute.Name}: " + Clip(element.OuterHtml, 120));
                }

                if (value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("data:text/html", StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add($"script URL in {attribute.Name}: " + Clip(element.OuterHtml, 120));
                }
            }
        }

        return findings;
    }
}
