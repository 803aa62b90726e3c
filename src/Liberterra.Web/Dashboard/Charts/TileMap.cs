using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Liberterra.Web.Dashboard.Charts;

/// <summary>
/// A tile-grid map: one equal square per country, in blocks by region, shaded by the country's value on a five-class
/// quantile scale. Unlike a shaded map it needs no border geometry (so the page stays small), a small country is as visible
/// as a large one, and countries sit under their regions, the way the analysts group them. Every tile prints its code and its
/// value, so a grayscale printout still reads; a country that reported nothing is hatched and marked "n/r", never shaded as zero.
/// </summary>
public static class TileMap
{
    private const int TilesPerRow = 10;
    private const double Tile = 40;
    private const double Step = 43;
    private const double Width = TilesPerRow * Step - (Step - Tile);
    private const double HeadingHeight = 22;
    private const double GroupGap = 12;
    private const double ValueFont = 10;
    private const int LegendColumns = 3;
    private const double LegendRow = 20;

    /// <param name="id">Unique on the page; every id in the map starts with it.</param>
    /// <param name="metricLabel">What the values count, in the plural: "seizures" gives tooltips such as "Nigeria (NGA): 1,234 seizures".</param>
    public static IHtmlContent Render(string id, string title, string description, IReadOnlyList<TileMapGroup> groups, string metricLabel)
    {
        ChartFrame.CheckId(id);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metricLabel);
        CheckGroups(groups);

        var tiles = groups.SelectMany(group => group.Tiles).ToList();
        var classes = Classes(tiles.Select(tile => tile.Value));
        var hasLinks = tiles.Any(tile => tile.Href is not null);
        var legendItems = classes.Count + 1;
        var legendTop = groups.Sum(group => HeadingHeight + Rows(group.Tiles.Count) * Step + GroupGap);
        var height = legendTop + HeadingHeight + Math.Ceiling(legendItems / (double)LegendColumns) * LegendRow;

        var svg = new SvgWriter();
        var summary = ChartFrame.Summary(groups.Select(group =>
            $"{group.Name}: {string.Join(", ", group.Tiles.Select(tile => $"{tile.Name} {ChartFrame.Figure(tile.Value)}"))}"));
        ChartFrame.Open(svg, "ch-map", id, title, description, Width, height, hasLinks, summary);
        ChartFrame.HatchDefinition(svg, id);

        var y = 0.0;
        foreach (var group in groups)
        {
            svg.Open("text").Attr("class", "ch-h").Attr("y", y + 15).Attr("font-weight", "bold").Text("text", ChartFrame.Fit(group.Name, Width, 13));
            y += HeadingHeight;
            svg.Open("g").Attr("text-anchor", "middle").Attr("fill", ChartPalette.DarkText).Close();
            for (var i = 0; i < group.Tiles.Count; i++)
            {
                var tile = group.Tiles[i];
                WriteTile(svg, id, tile, classes, metricLabel, hasLinks, i % TilesPerRow * Step, y + i / TilesPerRow * Step);
            }

            svg.End("g");
            y += Rows(group.Tiles.Count) * Step + GroupGap;
        }

        WriteLegend(svg, id, classes, metricLabel, legendTop);
        return svg.End("svg").ToHtml();
    }

    /// <summary>
    /// Up to five classes by quantiles of the non-null values: each holds about a fifth of them, the classes are contiguous and
    /// together run from the least value to the greatest. Ties can make a class empty; empty classes are dropped, and the
    /// shades of the rest are spread across the scale. No values, no classes.
    /// </summary>
    public static IReadOnlyList<ValueClass> Classes(IEnumerable<long?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(value => value.HasValue).Select(value => value!.Value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return [];
        }

        var count = ChartPalette.Sequential.Count;
        var ranges = new List<(long Min, long Max)>(count);
        var lower = sorted[0];
        for (var k = 1; k <= count; k++)
        {
            // The nearest-rank k/5 quantile: the smallest value with at least k/5 of the values at or below it.
            var upper = sorted[(int)((((long)k * sorted.Length) + count - 1) / count) - 1];
            if (upper < lower)
            {
                continue;
            }

            ranges.Add((lower, upper));
            if (upper == sorted[^1])
            {
                break;
            }

            lower = upper + 1;
        }

        return ranges.Select((range, i) => new ValueClass(range.Min, range.Max, Shade(i, ranges.Count, count))).ToList();

        static int Shade(int index, int classes, int shades) =>
            classes == 1 ? shades / 2 : (int)Math.Round(index * (shades - 1) / (double)(classes - 1), MidpointRounding.AwayFromZero);
    }

    private static void CheckGroups(IReadOnlyList<TileMapGroup> groups)
    {
        foreach (var group in groups)
        {
            if (group?.Name is null || group.Tiles is null)
            {
                throw new ArgumentException("Every group needs a name and a list of tiles.", nameof(groups));
            }

            foreach (var tile in group.Tiles)
            {
                if (tile?.Code is null || tile.Name is null)
                {
                    throw new ArgumentException("Every tile needs a code and a name.", nameof(groups));
                }

                ChartFrame.CheckHref(tile.Href, nameof(groups));
            }
        }
    }

    private static int Rows(int tiles) => (tiles + TilesPerRow - 1) / TilesPerRow;

    private static void WriteTile(SvgWriter svg, string id, MapTile tile, IReadOnlyList<ValueClass> classes, string metricLabel, bool hasLinks, double x, double y)
    {
        var valueClass = tile.Value is { } value ? classes.First(c => c.Contains(value)) : null;
        // The tiles' group sets dark text; only a tile dark enough to need white text says so itself.
        var text = valueClass is null ? ChartPalette.DarkText : ChartPalette.TextOn(valueClass.Fill);
        ChartFrame.OpenMark(svg, tile.Href, ChartFrame.Tooltip($"{tile.Name} ({tile.Code})", tile.Value, metricLabel), hasLinks,
            text == ChartPalette.DarkText ? null : text);

        svg.Open("rect").Attr("class", valueClass is null ? "ch-tile ch-nr" : "ch-tile").Attr("x", x).Attr("y", y)
            .Attr("width", Tile).Attr("height", Tile).Attr("fill", valueClass?.Fill ?? ChartFrame.HatchFill(id)).SelfClose();
        svg.Open("text").Attr("x", x + Tile / 2).Attr("y", y + 17).Text("text", ChartFrame.Fit(tile.Code, Tile - 4, 12));

        var valueText = tile.Value is { } v ? ChartFrame.Count(v) : "n/r";
        svg.Open("text").Attr("x", x + Tile / 2).Attr("y", y + 32).Attr("font-size", ValueFont);
        if (ChartFrame.TextWidth(valueText, ValueFont) > Tile - 4)
        {
            // Squeeze a six-figure value into the tile rather than let it spill onto the next.
            svg.Attr("textLength", Tile - 4).Attr("lengthAdjust", "spacingAndGlyphs");
        }

        svg.Text("text", valueText);
        ChartFrame.CloseMark(svg, tile.Href);
    }

    private static void WriteLegend(SvgWriter svg, string id, IReadOnlyList<ValueClass> classes, string metricLabel, double top)
    {
        var caption = metricLabel.Length == 0 ? "Key" : char.ToUpper(metricLabel[0], CultureInfo.InvariantCulture) + metricLabel[1..];
        if (classes.Count > 1)
        {
            caption += ": each shade holds about a fifth of the countries that reported";
        }

        svg.Open("g").Attr("class", "ch-legend").Close();
        svg.Open("text").Attr("y", top + 14).Text("text", ChartFrame.Fit(caption, Width, 12));
        var entries = classes.Select(c => (Text: c.Min == c.Max ? ChartFrame.Count(c.Min) : $"{ChartFrame.Count(c.Min)}–{ChartFrame.Count(c.Max)}", Fill: c.Fill, Class: "ch-key"))
            .Append((Text: "not reported (n/r)", Fill: ChartFrame.HatchFill(id), Class: "ch-key ch-nr"))
            .ToList();
        const double columnWidth = Width / LegendColumns;
        for (var i = 0; i < entries.Count; i++)
        {
            var x = i % LegendColumns * columnWidth;
            var y = top + HeadingHeight + i / LegendColumns * LegendRow;
            svg.Open("rect").Attr("class", entries[i].Class).Attr("x", x).Attr("y", y).Attr("width", 14).Attr("height", 14).Attr("fill", entries[i].Fill).SelfClose();
            svg.Open("text").Attr("x", x + 20).Attr("y", y + 11).Text("text", ChartFrame.Fit(entries[i].Text, columnWidth - 24, 12));
        }

        svg.End("g");
    }
}
