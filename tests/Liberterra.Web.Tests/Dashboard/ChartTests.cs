using System.Text.Encodings.Web;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Liberterra.Web.Dashboard.Charts;
using Microsoft.AspNetCore.Html;

namespace Liberterra.Web.Tests;

/// <summary>
/// The dashboard's SVG charts, read the way a browser reads them: inline in an HTML page, through an HTML parser.
/// </summary>
public sealed class ChartTests
{
    private const string Hostile = "<script>alert(1)</script>";

    private static readonly string[] Regions = ["Africa", "Americas", "Asia and South Pacific", "Europe", "Middle East and North Africa"];

    public static TheoryData<string> ChartKinds => new() { "horizontal", "columns", "tiles" };

    [Fact]
    public void HorizontalBarsDrawOneBarPerItem()
    {
        var items = Regions.Select((region, i) => new ChartItem(region, 100L * (i + 1))).ToList();

        var page = Parse(BarChart.Horizontal("regions", "Arrests by region", "Arrests in each region.", items, "arrests"));

        page.QuerySelectorAll("svg rect.ch-bar").Should().HaveCount(items.Count);
        Titles(page).Should().Contain("Middle East and North Africa: 500 arrests");
    }

    [Fact]
    public void ColumnsDrawOneColumnPerDayOfAMonth()
    {
        var days = Month();

        var page = Parse(BarChart.Columns("days", "Arrests by day", "Arrests on each day.", days, "arrests"));

        page.QuerySelectorAll("svg rect.ch-bar").Should().HaveCount(31);
        Titles(page).Should().Contain("10 Nov: 1,009 arrests");
    }

    [Fact]
    public void TheTileMapDrawsOneTilePerCountryUnderItsRegion()
    {
        var groups = Countries(120);

        var page = Parse(TileMap.Render("map", "Arrests by country", "One tile per country.", groups, "arrests"));

        page.QuerySelectorAll("svg rect.ch-tile").Should().HaveCount(120);
        page.QuerySelectorAll("svg text.ch-h").Select(h => h.TextContent).Should().Equal(Regions);
        Titles(page).Should().Contain("Country 7 (C07): 70 arrests");
    }

    [Theory]
    [MemberData(nameof(ChartKinds))]
    public void NotReportedIsDrawnApartFromZero(string kind)
    {
        var page = Parse(Render(kind, "chart", [("Zero", 0L), ("Blank", null), ("Some", 40L)]));

        var marks = page.QuerySelectorAll("svg rect.ch-bar, svg rect.ch-tile");
        marks.Should().HaveCount(3);
        var zero = marks[0];
        var blank = marks[1];
        zero.ClassList.Should().NotContain("ch-nr");
        blank.ClassList.Should().Contain("ch-nr");
        blank.GetAttribute("fill").Should().Be("url(#chart-nr)").And.NotBe(zero.GetAttribute("fill"));
        page.QuerySelector("#chart-nr").Should().NotBeNull("the hatching the blank mark is filled with must exist");
        MarkTitle(blank).Should().EndWith(": not reported");
        MarkTitle(zero).Should().EndWith(": 0 arrests");
    }

    [Fact]
    public void ABlankBarIsAStubMarkedNotReportedAndAZeroBarHasNoLength()
    {
        var page = Parse(BarChart.Horizontal("forms", "Victims", "By form.", [new("Organ removal", null), new("Domestic servitude", 0)], "victims"));

        var bars = page.QuerySelectorAll("rect.ch-bar");
        double.Parse(bars[0].GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        bars[1].GetAttribute("width").Should().Be("0");
        bars[0].ParentElement!.QuerySelectorAll("text").Select(t => t.TextContent).Should().Contain("not reported");
        bars[1].ParentElement!.QuerySelectorAll("text").Select(t => t.TextContent).Should().Contain("0");
    }

    [Theory]
    [MemberData(nameof(ChartKinds))]
    public void LabelsAreEncodedAndComeOutAsText(string kind)
    {
        var html = Render(kind, "chart", [(Hostile, 5L), ("Quote \" & 'apostrophe'", 6L)], title: Hostile, description: Hostile, href: "/x?a=1&b=\"2\"");

        var page = Parse(html);

        page.QuerySelectorAll("script").Should().BeEmpty();
        page.QuerySelectorAll("svg").Should().ContainSingle();
        page.QuerySelector("svg > title")!.TextContent.Should().Be(Hostile);
        Titles(page).Should().Contain(t => t.StartsWith(Hostile, StringComparison.Ordinal));
        Titles(page).Should().Contain(t => t.StartsWith("Quote \" & 'apostrophe'", StringComparison.Ordinal));
        page.QuerySelectorAll("svg a").Select(a => a.GetAttribute("href")).Should().AllBe("/x?a=1&b=\"2\"");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData(" JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void ALinkThatCouldRunScriptIsRefused(string href)
    {
        var act = () => BarChart.Horizontal("chart", "t", "d", [new("A", 1, href)], "arrests");

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("1chart")]
    [InlineData("chart one")]
    [InlineData("chart\"onload=\"x")]
    [InlineData("")]
    public void AnIdThatIsNotASafeNameIsRefused(string id)
    {
        var act = () => TileMap.Render(id, "t", "d", [], "arrests");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void EveryIdStartsWithTheCallersPrefixSoChartsOnOnePageNeverCollide()
    {
        var items = new List<ChartItem> { new("A", 1), new("B", null) };
        var page = Parse(
            BarChart.Horizontal("by-region", "t", "d", items, "arrests"),
            BarChart.Columns("by-day", "t", "d", items, "arrests"),
            TileMap.Render("by-country", "t", "d", Countries(10), "arrests"));

        var charts = page.QuerySelectorAll("svg");
        charts.Select(svg => svg.Id).Should().Equal("by-region", "by-day", "by-country");
        foreach (var svg in charts)
        {
            svg.QuerySelectorAll("[id]").Select(e => e.Id).Should().OnlyContain(id => id!.StartsWith(svg.Id + "-", StringComparison.Ordinal));
            page.GetElementById(svg.GetAttribute("aria-labelledby")!)!.LocalName.Should().Be("title");
            page.GetElementById(svg.GetAttribute("aria-describedby")!)!.LocalName.Should().Be("desc");
        }

        var ids = page.QuerySelectorAll("[id]").Select(e => e.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        page.QuerySelectorAll("[fill^='url(#']").Select(e => e.GetAttribute("fill")![5..^1]).Should().OnlyContain(id => ids.Contains(id));
    }

    [Fact]
    public void AChartWithoutLinksIsOneImageWhoseDescriptionListsTheValues()
    {
        var page = Parse(BarChart.Columns("days", "Arrests by day", "Arrests on each day.", [new("10 Nov", 1234), new("11 Nov", null)], "arrests"));

        var svg = page.QuerySelector("svg")!;
        svg.GetAttribute("role").Should().Be("img");
        page.QuerySelector("desc")!.TextContent.Should().Be("Arrests on each day. 10 Nov: 1,234 arrests; 11 Nov: not reported.");
    }

    [Fact]
    public void AChartWithLinksIsAGroupWhoseTilesAreLinksNamedByTheirTitles()
    {
        var page = Parse(TileMap.Render("map", "t", "d", Countries(12), "arrests"));

        page.QuerySelector("svg")!.GetAttribute("role").Should().Be("group");
        var links = page.QuerySelectorAll("svg a[href]");
        links.Should().HaveCount(12);
        links.Should().OnlyContain(a => a.FirstElementChild!.LocalName == "title" && a.QuerySelector("rect.ch-tile") != null);
    }

    [Theory]
    [MemberData(nameof(ChartKinds))]
    public void EveryChartScalesWithItsContainer(string kind)
    {
        var svg = Parse(Render(kind, "chart", [("A", 1L), ("B", 2L)])).QuerySelector("svg")!;

        svg.GetAttribute("width").Should().Be("100%");
        svg.HasAttribute("height").Should().BeFalse();
        svg.GetAttribute("viewBox").Should().MatchRegex(@"^0 0 \d+(\.\d)? \d+(\.\d)?$");
    }

    [Fact]
    public void ValuesAreWholeNumbersWithThousandsSeparators()
    {
        var page = Parse(BarChart.Horizontal("chart", "t", "d", [new("Big", 1_234_567)], "arrests"));

        page.QuerySelectorAll("text").Select(t => t.TextContent).Should().Contain("1,234,567");
        Titles(page).Should().Contain("Big: 1,234,567 arrests");
    }

    [Fact]
    public void AMonthOfDayLabelsIsTurnedAndThinnedSoThatNoTwoTouch()
    {
        var page = Parse(BarChart.Columns("days", "t", "d", Month(), "arrests"));

        var labels = page.QuerySelectorAll("text[transform^='rotate(-45']").ToList();
        labels.Should().NotBeEmpty().And.HaveCountLessThan(31);
        var xs = labels.Select(l => double.Parse(l.GetAttribute("x")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // Labels turned 45° are (gap × sin 45°) apart across their baselines; 1.5 font sizes (11) keeps them clear.
        xs.Zip(xs.Skip(1), (a, b) => (b - a) * Math.Sin(Math.PI / 4)).Should().OnlyContain(gap => gap >= 1.5 * 11);
    }

    [Fact]
    public void AFewDayLabelsStayLevel()
    {
        var page = Parse(BarChart.Columns("days", "t", "d", Month().Take(5).ToList(), "arrests"));

        page.QuerySelectorAll("text[transform]").Should().BeEmpty();
        page.QuerySelectorAll("text").Select(t => t.TextContent).Should().Contain(["1 Nov", "5 Nov"]);
    }

    [Theory]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 3, 3, 3, 3, 3, 3 })]
    [InlineData(new long[] { 0, 0, 0, 0, 1, 2, 900 })]
    [InlineData(new long[] { 1, 2 })]
    [InlineData(new long[] { 10, 1, 7, 3, 3, 8, 12, 40, 41, 42, 1000, 999_999, 0 })]
    [InlineData(new long[] { -5, 0, 5 })]
    [InlineData(new long[] { long.MinValue, 0, long.MaxValue })]
    public void QuantileClassesAreContiguousRisingAndRunFromTheLeastValueToTheGreatest(long[] values)
    {
        var classes = TileMap.Classes(values.Select(v => (long?)v).Append(null));

        classes.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(5);
        classes[0].Min.Should().Be(values.Min());
        classes[^1].Max.Should().Be(values.Max());
        classes.Should().OnlyContain(c => c.Min <= c.Max);
        classes.Zip(classes.Skip(1)).Where(pair => pair.Second.Min != pair.First.Max + 1 || pair.Second.Shade <= pair.First.Shade).Should().BeEmpty();
        values.Should().OnlyContain(v => classes.Count(c => c.Contains(v)) == 1);
    }

    [Fact]
    public void QuantileClassesEachHoldAFifthOfDistinctValues()
    {
        var classes = TileMap.Classes(Enumerable.Range(1, 100).Select(v => (long?)v));

        classes.Select(c => (c.Min, c.Max)).Should().Equal((1, 20), (21, 40), (41, 60), (61, 80), (81, 100));
        classes.Select(c => c.Shade).Should().Equal(0, 1, 2, 3, 4);
    }

    [Fact]
    public void NoValuesGiveNoClassesAndEqualValuesGiveOne()
    {
        TileMap.Classes([null, null]).Should().BeEmpty();
        TileMap.Classes([]).Should().BeEmpty();
        TileMap.Classes([7, 7, null, 7]).Should().Equal(new ValueClass(7, 7, 2));
    }

    [Fact]
    public void TheLegendShowsEveryClassWithItsRangeAndTheNotReportedSwatch()
    {
        var groups = new List<TileMapGroup> { new("Africa", Enumerable.Range(1, 100).Select(i => new MapTile($"C{i}", $"Country {i}", i)).Append(new MapTile("NR", "Blank", null)).ToList()) };

        var page = Parse(TileMap.Render("map", "t", "d", groups, "arrests"));

        var legend = page.QuerySelector("g.ch-legend")!;
        legend.Should().NotBeNull();
        legend.QuerySelectorAll("rect.ch-key").Should().HaveCount(6);
        legend.QuerySelectorAll("text").Select(t => t.TextContent).Should().Contain(["1–20", "21–40", "41–60", "61–80", "81–100", "not reported (n/r)"]);
        legend.QuerySelectorAll("rect.ch-key").Select(r => r.GetAttribute("fill")).Should().Equal([.. ChartPalette.Sequential, "url(#map-nr)"]);
    }

    [Fact]
    public void EachTileIsShadedByItsClassAndPrintsItsCodeAndValue()
    {
        var groups = new List<TileMapGroup> { new("Europe", Enumerable.Range(1, 10).Select(i => new MapTile($"C{i:00}", $"Country {i}", i * 10)).ToList()) };

        var page = Parse(TileMap.Render("map", "t", "d", groups, "arrests"));

        var tiles = page.QuerySelectorAll("rect.ch-tile");
        tiles.Select(t => t.GetAttribute("fill")).Should().Equal(
            ChartPalette.Sequential.SelectMany(shade => new[] { shade, shade }));
        tiles[9].ParentElement!.QuerySelectorAll("text").Select(t => t.TextContent).Should().Equal("C10", "100");
    }

    [Fact]
    public void TextOnEveryShadeContrastsAtLeastFourAndAHalfToOne()
    {
        foreach (var shade in ChartPalette.Sequential)
        {
            ChartPalette.ContrastRatio(shade, ChartPalette.TextOn(shade)).Should().BeGreaterThanOrEqualTo(4.5, shade);
        }

        ChartPalette.Sequential.Select(ChartPalette.TextOn).Should().Equal(
            ChartPalette.DarkText, ChartPalette.DarkText, ChartPalette.DarkText, ChartPalette.LightText, ChartPalette.LightText);
        ChartPalette.Sequential.Select(ChartPalette.RelativeLuminance).Should().BeInDescendingOrder("the scale runs light to dark");
    }

    [Fact]
    public void DarkTilesCarryWhiteText()
    {
        var groups = new List<TileMapGroup> { new("Europe", Enumerable.Range(1, 5).Select(i => new MapTile($"C{i}", $"Country {i}", i)).ToList()) };

        var page = Parse(TileMap.Render("map", "t", "d", groups, "arrests"));

        page.QuerySelectorAll("rect.ch-tile").Select(t => t.ParentElement!.GetAttribute("fill") ?? t.ParentElement!.ParentElement!.GetAttribute("fill"))
            .Should().Equal(ChartPalette.DarkText, ChartPalette.DarkText, ChartPalette.DarkText, ChartPalette.LightText, ChartPalette.LightText);
    }

    [Fact]
    public void AMapOf120CountriesWithLinksStaysUnder40Kilobytes()
    {
        var groups = Countries(120, name: i => $"Democratic Republic of Somewhere Long {i}", value: i => i * 997L,
            href: code => $"/operations/liberterra-iii/countries/{code}");

        var html = Write(TileMap.Render("map-arrests", "Arrests by country", "One tile per country, shaded by arrests.", groups, "arrests"));

        System.Text.Encoding.UTF8.GetByteCount(html).Should().BeLessThan(40 * 1024);
        Parse(html).QuerySelectorAll("rect.ch-tile").Should().HaveCount(120);
    }

    [Theory]
    [MemberData(nameof(ChartKinds))]
    public void EmptyAllBlankAndAllEqualInputsStillDraw(string kind)
    {
        foreach (var values in new[] { Array.Empty<long?>(), [null, null, null], [0, 0, 0], [42, 42] })
        {
            var html = Write(Render(kind, "chart", values.Select((v, i) => ($"Item {i}", v)).ToArray()));

            html.Should().NotContain("NaN").And.NotContain("Infinity");
            var page = Parse(html);
            page.QuerySelectorAll("svg").Should().ContainSingle();
            page.QuerySelectorAll("rect.ch-bar, rect.ch-tile").Should().HaveCount(values.Length);
        }
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        FluentActions.Invoking(() => BarChart.Horizontal("a", "t", "d", null!, "u")).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => BarChart.Columns("a", null!, "d", [], "u")).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => TileMap.Render("a", "t", "d", [new("R", [null!])], "u")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => TileMap.Classes(null!)).Should().Throw<ArgumentNullException>();
    }

    /// <summary>One chart of the given kind over (label, value) items; the tile map puts them all in one region.</summary>
    private static IHtmlContent Render(string kind, string id, (string Label, long? Value)[] items, string title = "Title", string description = "Description", string? href = null) =>
        kind switch
        {
            "horizontal" => BarChart.Horizontal(id, title, description, items.Select(i => new ChartItem(i.Label, i.Value, href)).ToList(), "arrests"),
            "columns" => BarChart.Columns(id, title, description, items.Select(i => new ChartItem(i.Label, i.Value, href)).ToList(), "arrests"),
            "tiles" => TileMap.Render(id, title, description, [new("Region", items.Select((i, n) => new MapTile($"C{n}", i.Label, i.Value, href)).ToList())], "arrests"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    private static List<ChartItem> Month() =>
        Enumerable.Range(1, 31).Select(day => new ChartItem($"{day} Nov", 1000 + day - 1)).ToList();

    private static List<TileMapGroup> Countries(int count, Func<int, string>? name = null, Func<int, long?>? value = null, Func<string, string>? href = null) =>
        Enumerable.Range(0, count)
            .Select(i => (Region: Regions[i * Regions.Length / count], Tile: new MapTile(
                $"C{i:00}", name?.Invoke(i) ?? $"Country {i}", value is null ? i * 10 : value(i), (href ?? (code => $"/countries/{code}"))($"C{i:00}"))))
            .GroupBy(x => x.Region)
            .Select(g => new TileMapGroup(g.Key, g.Select(x => x.Tile).ToList()))
            .ToList();

    private static string Write(params IHtmlContent[] charts)
    {
        using var writer = new StringWriter();
        foreach (var chart in charts)
        {
            chart.WriteTo(writer, HtmlEncoder.Default);
        }

        return writer.ToString();
    }

    private static IDocument Parse(params IHtmlContent[] charts) => Parse(Write(charts));

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument($"<!doctype html><html><body><main>{html}</main></body></html>");

    /// <summary>The tooltips of the marks: every title but the charts' own.</summary>
    private static List<string> Titles(IDocument page) =>
        page.QuerySelectorAll("svg title").Where(t => t.ParentElement!.LocalName != "svg").Select(t => t.TextContent).ToList();

    private static string MarkTitle(IElement mark) => mark.ParentElement!.QuerySelector("title")!.TextContent;
}
