using Microsoft.AspNetCore.Html;

namespace Liberterra.Web.Dashboard.Charts;

/// <summary>
/// Bar charts as inline SVG, drawn on the server: no script, nothing fetched. Each bar is labelled with its value, so the chart
/// reads in grayscale print too, and has a tooltip such as "Africa: 1,234 seizures". A null value ("not reported") gets a short
/// hatched stub and the words "not reported", never a zero-length bar.
/// </summary>
public static class BarChart
{
    private const double Gap = 6;
    private const double NotReportedStub = 24;
    private const double LegendHeight = 22;

    /// <summary>
    /// Horizontal bars, one row per item: the label at the left, the bar, then its value. Bars take their colours from
    /// <see cref="ChartPalette.Categorical"/> in item order, as each item is its own category (a region, a form of exploitation).
    /// </summary>
    /// <param name="id">Unique on the page; every id in the chart starts with it.</param>
    /// <param name="unit">Follows the value in tooltips: "seizures" gives "Africa: 1,234 seizures".</param>
    public static IHtmlContent Horizontal(string id, string title, string description, IReadOnlyList<ChartItem> items, string unit)
    {
        CheckArguments(id, title, description, items, unit);
        const double width = 420, rowHeight = 26, barHeight = 18, top = 4, fontSize = 12;

        var valueTexts = items.Select(item => ChartFrame.Figure(item.Value)).ToList();
        var labelWidth = Math.Clamp(items.Select(item => ChartFrame.TextWidth(item.Label, fontSize)).DefaultIfEmpty().Max() + Gap + 2, 40, width * 0.45);
        var valueWidth = valueTexts.Select(text => ChartFrame.TextWidth(text, fontSize)).DefaultIfEmpty().Max() + Gap;
        var x0 = Math.Ceiling(labelWidth);
        var barSpace = Math.Max(40, width - x0 - valueWidth);
        var max = Math.Max(0, items.Select(item => item.Value ?? 0).DefaultIfEmpty().Max());
        var anyNotReported = items.Any(item => item.Value is null);
        var hasLinks = items.Any(item => item.Href is not null);
        var rowsHeight = Math.Max(1, items.Count) * rowHeight;
        var height = top + rowsHeight + (anyNotReported ? LegendHeight : 0) + 4;

        var svg = new SvgWriter();
        var tooltips = items.Select(item => ChartFrame.Tooltip(item.Label, item.Value, unit)).ToList();
        ChartFrame.Open(svg, "ch-hbar", id, title, description, width, height, hasLinks, ChartFrame.Summary(tooltips));
        if (anyNotReported)
        {
            ChartFrame.HatchDefinition(svg, id);
        }

        if (items.Count == 0)
        {
            NoData(svg, width / 2, top + 17);
            return svg.End("svg").ToHtml();
        }

        svg.Open("path").Attr("class", "ch-axis").Attr("d", $"M{SvgWriter.Number(x0)} {SvgWriter.Number(top)}v{SvgWriter.Number(rowsHeight)}")
            .Attr("stroke", "#767676").SelfClose();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var rowTop = top + i * rowHeight + (rowHeight - barHeight) / 2;
            var baseline = rowTop + barHeight / 2 + fontSize * 0.35;
            ChartFrame.OpenMark(svg, item.Href, tooltips[i], hasLinks);
            svg.Open("text").Attr("x", x0 - Gap).Attr("y", baseline).Attr("text-anchor", "end")
                .Text("text", ChartFrame.Fit(item.Label, x0 - Gap - 2, fontSize));

            double length;
            if (item.Value is { } value)
            {
                length = max == 0 || value <= 0 ? 0 : Math.Max(1, (double)value / max * barSpace);
                svg.Open("rect").Attr("class", "ch-bar").Attr("x", x0).Attr("y", rowTop).Attr("width", length).Attr("height", barHeight)
                    .Attr("fill", ChartPalette.Categorical[i % ChartPalette.Categorical.Count]).SelfClose();
                svg.Open("text").Attr("x", x0 + length + 4).Attr("y", baseline).Text("text", valueTexts[i]);
            }
            else
            {
                length = NotReportedStub;
                svg.Open("rect").Attr("class", "ch-bar ch-nr").Attr("x", x0).Attr("y", rowTop).Attr("width", length).Attr("height", barHeight)
                    .Attr("fill", ChartFrame.HatchFill(id)).SelfClose();
                svg.Open("text").Attr("class", "ch-note").Attr("x", x0 + length + 4).Attr("y", baseline).Text("text", ChartFrame.NotReported);
            }

            ChartFrame.CloseMark(svg, item.Href);
        }

        if (anyNotReported)
        {
            NotReportedKey(svg, id, x0, top + rowsHeight + 6);
        }

        return svg.End("svg").ToHtml();
    }

    /// <summary>
    /// Vertical columns in item order, for a series such as the daily timeline ("10 Nov", "11 Nov", ...), all in one colour.
    /// Labels and values that would collide are turned (values upright, labels at 45°), and with many columns only every
    /// second or third label is printed; every column keeps its full label in its tooltip.
    /// </summary>
    /// <param name="id">Unique on the page; every id in the chart starts with it.</param>
    /// <param name="unit">Follows the value in tooltips: "seizures" gives "10 Nov: 1,234 seizures".</param>
    public static IHtmlContent Columns(string id, string title, string description, IReadOnlyList<ChartItem> items, string unit)
    {
        CheckArguments(id, title, description, items, unit);
        const double width = 480, right = 4, labelFont = 11;
        var plotHeight = items.Count == 0 ? 40 : 150.0;

        var n = Math.Max(1, items.Count);
        var valueTexts = items.Select(item => ChartFrame.Figure(item.Value)).ToList();
        var labelWidths = items.Select(item => ChartFrame.TextWidth(item.Label, labelFont)).ToList();
        var maxLabelWidth = labelWidths.DefaultIfEmpty().Max();

        var left = 4.0;
        var slot = (width - left - right) / n;
        var labelsLevel = maxLabelWidth + 2 <= slot;
        var labelStep = 1;
        if (!labelsLevel)
        {
            // A label turned 45° reaches left and down by about 0.71 of its width; the first one must stay inside the chart.
            left = Math.Max(left, Math.Ceiling(maxLabelWidth * 0.71 - slot / 2 + 4));
            slot = (width - left - right) / n;
            // Turned labels need about 1.7 font sizes between columns not to touch.
            labelStep = (int)Math.Max(1, Math.Ceiling(labelFont * 1.7 / slot));
        }

        var valueFont = Math.Clamp(Math.Floor(slot / 1.3), 7, 11);
        var valueWidths = valueTexts.Select(text => ChartFrame.TextWidth(text, valueFont)).ToList();
        var valuesLevel = valueWidths.DefaultIfEmpty().Max() + 2 <= slot;
        var barWidth = Math.Min(slot * 0.72, 56);
        var max = Math.Max(0, items.Select(item => item.Value ?? 0).DefaultIfEmpty().Max());
        var heights = items.Select(item => item.Value switch
        {
            null => NotReportedStub / 3,
            var v when max == 0 || v <= 0 => 0,
            var v => Math.Max(1, (double)v / max * plotHeight),
        }).ToList();

        // Room above the plot for the value printed over the tallest columns.
        var top = 4.0;
        for (var i = 0; i < items.Count; i++)
        {
            var above = (valuesLevel ? valueFont + 3 : valueWidths[i] + 4) - (plotHeight - heights[i]);
            top = Math.Max(top, Math.Ceiling(above) + 2);
        }

        var baseline = top + plotHeight;
        var labelArea = labelsLevel ? labelFont + 8 : Math.Ceiling(maxLabelWidth * 0.71 + labelFont + 6);
        var anyNotReported = items.Any(item => item.Value is null);
        var height = baseline + labelArea + (anyNotReported ? LegendHeight : 0) + 2;
        var hasLinks = items.Any(item => item.Href is not null);

        var svg = new SvgWriter();
        var tooltips = items.Select(item => ChartFrame.Tooltip(item.Label, item.Value, unit)).ToList();
        ChartFrame.Open(svg, "ch-cols", id, title, description, width, height, hasLinks, ChartFrame.Summary(tooltips));
        if (anyNotReported)
        {
            ChartFrame.HatchDefinition(svg, id);
        }

        if (items.Count == 0)
        {
            NoData(svg, width / 2, baseline - plotHeight / 2);
        }

        svg.Open("path").Attr("class", "ch-axis").Attr("d", $"M{SvgWriter.Number(left)} {SvgWriter.Number(baseline)}H{SvgWriter.Number(width - right)}")
            .Attr("stroke", "#767676").SelfClose();
        svg.Open("g").Attr("font-size", valueFont).Close();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var center = left + (i + 0.5) * slot;
            var columnTop = baseline - heights[i];
            ChartFrame.OpenMark(svg, item.Href, tooltips[i], hasLinks);
            svg.Open("rect").Attr("class", item.Value is null ? "ch-bar ch-nr" : "ch-bar").Attr("x", center - barWidth / 2).Attr("y", columnTop)
                .Attr("width", barWidth).Attr("height", heights[i]).Attr("fill", item.Value is null ? ChartFrame.HatchFill(id) : ChartPalette.Series)
                .SelfClose();

            svg.Open("text");
            if (item.Value is null)
            {
                svg.Attr("class", "ch-note");
            }

            if (valuesLevel)
            {
                svg.Attr("x", center).Attr("y", columnTop - 4).Attr("text-anchor", "middle");
            }
            else
            {
                var x = center + valueFont * 0.35;
                svg.Attr("x", x).Attr("y", columnTop - 4).Attr("transform", $"rotate(-90 {SvgWriter.Number(x)} {SvgWriter.Number(columnTop - 4)})");
            }

            svg.Text("text", valueTexts[i]);

            if (i % labelStep == 0)
            {
                svg.Open("text");
                if (labelFont != valueFont)
                {
                    svg.Attr("font-size", labelFont);
                }

                if (labelsLevel)
                {
                    svg.Attr("x", center).Attr("y", baseline + labelFont + 3).Attr("text-anchor", "middle");
                }
                else
                {
                    var x = center + 3;
                    var y = baseline + labelFont;
                    svg.Attr("x", x).Attr("y", y).Attr("text-anchor", "end").Attr("transform", $"rotate(-45 {SvgWriter.Number(x)} {SvgWriter.Number(y)})");
                }

                svg.Text("text", item.Label);
            }

            ChartFrame.CloseMark(svg, item.Href);
        }

        svg.End("g");
        if (anyNotReported)
        {
            NotReportedKey(svg, id, left, baseline + labelArea + 4);
        }

        return svg.End("svg").ToHtml();
    }

    private static void CheckArguments(string id, string title, string description, IReadOnlyList<ChartItem> items, string unit)
    {
        ChartFrame.CheckId(id);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(unit);
        foreach (var item in items)
        {
            if (item is null)
            {
                throw new ArgumentException("The items may not contain null.", nameof(items));
            }

            ArgumentNullException.ThrowIfNull(item.Label, nameof(items));
            ChartFrame.CheckHref(item.Href, nameof(items));
        }
    }

    private static void NoData(SvgWriter svg, double x, double y) =>
        svg.Open("text").Attr("class", "ch-note").Attr("x", x).Attr("y", y).Attr("text-anchor", "middle").Text("text", "No data");

    /// <summary>The key for the hatching, shown only when some value is not reported.</summary>
    private static void NotReportedKey(SvgWriter svg, string id, double x, double y)
    {
        svg.Open("g").Attr("class", "ch-legend").Close()
            .Open("rect").Attr("class", "ch-nr").Attr("x", x).Attr("y", y).Attr("width", 14).Attr("height", 14).Attr("fill", ChartFrame.HatchFill(id)).SelfClose()
            .Open("text").Attr("x", x + 20).Attr("y", y + 11).Text("text", "not reported")
            .End("g");
    }
}
