using System.Globalization;
using System.Text;

namespace Liberterra.Web.Dashboard.Charts;

/// <summary>What every chart shares: argument checks, the accessible root element, the "not reported" hatching, text sizes.</summary>
internal static class ChartFrame
{
    public const string NotReported = "not reported";

    /// <summary>The hatching's own id is the chart's id plus this, so that two charts on one page never share an id.</summary>
    public const string HatchSuffix = "-nr";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Figure(long? value) => value is { } v ? Count(v) : NotReported;

    /// <summary>"Nigeria: 1,234 seizures", or "Nigeria: not reported".</summary>
    public static string Tooltip(string name, long? value, string unit) =>
        value is { } v ? $"{name}: {Count(v)} {unit}".TrimEnd() : $"{name}: {NotReported}";

    /// <summary>Ids go into id, aria-labelledby and url(#...) unescaped, so they are held to a letter followed by [A-Za-z0-9_-].</summary>
    public static void CheckId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!char.IsAsciiLetter(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"A chart id must be a letter followed by letters, digits, '-' or '_', not '{id}'.", nameof(id));
        }
    }

    /// <summary>Links may be relative or http(s); a "javascript:" or "data:" URL is refused rather than written.</summary>
    public static string? CheckHref(string? href, string paramName)
    {
        if (href is null)
        {
            return null;
        }

        var colon = href.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = href.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon >= 0 && (firstDelimiter < 0 || colon < firstDelimiter);
        if (hasScheme
            && !href.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
            && !href.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A chart link must be a relative or an http(s) URL, not '{href}'.", paramName);
        }

        return href;
    }

    /// <summary>
    /// Opens the root element; <paramref name="kind"/> is a class naming the kind of chart, for the page's CSS. A chart with no links is one image (role="img"), and <paramref name="dataSummary"/> is added to its
    /// description, because an image's parts are hidden from screen readers. A chart with links is a group instead, so that its
    /// links stay reachable; each mark then carries its own name.
    /// </summary>
    public static void Open(SvgWriter svg, string kind, string id, string title, string description, double width, double height, bool hasLinks, string dataSummary)
    {
        svg.Open("svg").Attr("xmlns", "http://www.w3.org/2000/svg").Attr("id", id).Attr("class", "ch " + kind)
            .Attr("role", hasLinks ? "group" : "img").Attr("aria-labelledby", id + "-t").Attr("aria-describedby", id + "-d")
            .Attr("viewBox", $"0 0 {SvgWriter.Number(width)} {SvgWriter.Number(height)}").Attr("width", "100%")
            .Attr("font-size", 12).Attr("fill", "currentColor").Close();
        svg.Open("title").Attr("id", id + "-t").Text("title", title);
        var fullDescription = hasLinks || dataSummary.Length == 0 ? description : $"{description} {dataSummary}".TrimStart();
        svg.Open("desc").Attr("id", id + "-d").Text("desc", fullDescription);
    }

    /// <summary>The fill for "not reported": grey diagonal hatching on white, unlike any colour on the scales, and visible in grayscale.</summary>
    public static void HatchDefinition(SvgWriter svg, string id)
    {
        svg.Open("defs").Close()
            .Open("pattern").Attr("id", id + HatchSuffix).Attr("width", 6).Attr("height", 6)
            .Attr("patternUnits", "userSpaceOnUse").Attr("patternTransform", "rotate(45)").Close()
            .Open("rect").Attr("width", 6).Attr("height", 6).Attr("fill", "#fff").SelfClose()
            .Open("path").Attr("d", "M0 0v6").Attr("stroke", "#9a9a9a").Attr("stroke-width", 2).SelfClose()
            .End("pattern").End("defs");
    }

    public static string HatchFill(string id) => $"url(#{id}{HatchSuffix})";

    /// <summary>Opens a mark: a link when it has an href, otherwise a group. Its title is its tooltip and accessible name.</summary>
    public static void OpenMark(SvgWriter svg, string? href, string tooltip, bool chartHasLinks, string? textFill = null)
    {
        if (href is not null)
        {
            svg.Open("a").Attr("href", href);
        }
        else
        {
            svg.Open("g");
            if (chartHasLinks)
            {
                // Inside a group-role chart each unlinked mark is its own small image, so a screen reader still names it.
                svg.Attr("role", "img");
            }
        }

        if (textFill is not null)
        {
            svg.Attr("fill", textFill);
        }

        svg.Close().Title(tooltip);
    }

    public static void CloseMark(SvgWriter svg, string? href) => svg.End(href is null ? "g" : "a");

    /// <summary>A list of every value for the description of an image-role chart: "Africa: 1,234 seizures; Americas: not reported."</summary>
    public static string Summary(IEnumerable<string> tooltips)
    {
        var text = new StringBuilder();
        foreach (var tooltip in tooltips)
        {
            text.Append(text.Length == 0 ? "" : "; ").Append(tooltip);
        }

        return text.Length == 0 ? "" : text.Append('.').ToString();
    }

    /// <summary>
    /// A rough width of <paramref name="text"/> at <paramref name="fontSize"/> in a proportional sans-serif face, for layout only.
    /// The widths are those of a wide face (DejaVu Sans), so that what is reserved for a label is rarely too small.
    /// </summary>
    public static double TextWidth(string text, double fontSize)
    {
        double em = 0;
        foreach (var c in text)
        {
            em += c switch
            {
                ' ' or ',' or '.' or ':' or ';' or '\'' or 'i' or 'l' or 'j' or 'I' or '|' or '!' => 0.32,
                'f' or 't' or 'r' or '(' or ')' or '-' => 0.42,
                'm' or 'w' or 'M' or 'W' => 0.92,
                >= '0' and <= '9' => 0.64,
                >= 'A' and <= 'Z' => 0.72,
                _ => 0.6,
            };
        }

        return em * fontSize;
    }

    /// <summary>Cuts <paramref name="text"/> with an ellipsis so that it fits <paramref name="width"/>; the full text stays in the tooltip.</summary>
    public static string Fit(string text, double width, double fontSize)
    {
        if (TextWidth(text, fontSize) <= width)
        {
            return text;
        }

        var ellipsis = TextWidth("…", fontSize);
        var length = text.Length;
        while (length > 1 && TextWidth(text[..length], fontSize) + ellipsis > width)
        {
            length--;
        }

        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length].TrimEnd() + "…";
    }
}
