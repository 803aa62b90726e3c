using System.Globalization;

namespace Liberterra.Web.Dashboard.Charts;

/// <summary>
/// The charts' colours, chosen so that readers with a colour-vision deficiency, and grayscale printouts, still tell the marks apart.
/// </summary>
public static class ChartPalette
{
    /// <summary>
    /// Okabe–Ito, for categories. Reordered so that the six colours that stand out most on white come first;
    /// yellow, the weakest on white, is only reached by a seventh category.
    /// </summary>
    public static IReadOnlyList<string> Categorical { get; } =
        ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000"];

    /// <summary>
    /// One hue, light to dark, for magnitudes: ColorBrewer "Blues". Its 5-class fourth step (#3182bd) is swapped for the
    /// slightly darker #2171b5 from the same scheme, because neither white (4.1:1) nor near-black text reaches 4.5:1 on #3182bd.
    /// </summary>
    public static IReadOnlyList<string> Sequential { get; } = ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08519c"];

    /// <summary>The one colour for a single series, such as the daily timeline: Okabe–Ito blue.</summary>
    public static string Series => Categorical[0];

    public const string LightText = "#fff";
    public const string DarkText = "#111";

    /// <summary>White text on dark fills, near-black on light ones: whichever contrasts more.</summary>
    public static string TextOn(string fill) =>
        ContrastRatio(fill, LightText) >= ContrastRatio(fill, DarkText) ? LightText : DarkText;

    /// <summary>The WCAG 2 contrast ratio of two "#rrggbb" or "#rgb" colours, from 1 to 21.</summary>
    public static double ContrastRatio(string first, string second)
    {
        var a = RelativeLuminance(first);
        var b = RelativeLuminance(second);
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>The WCAG 2 relative luminance of a "#rrggbb" or "#rgb" colour.</summary>
    public static double RelativeLuminance(string color)
    {
        ArgumentNullException.ThrowIfNull(color);
        var digits = color.Length switch
        {
            7 when color[0] == '#' => 2,
            4 when color[0] == '#' => 1,
            _ => throw new ArgumentException($"Expected a colour as #rrggbb or #rgb, not '{color}'.", nameof(color)),
        };

        return 0.2126 * Channel(color, 1, digits) + 0.7152 * Channel(color, 1 + digits, digits) + 0.0722 * Channel(color, 1 + 2 * digits, digits);

        static double Channel(string color, int start, int digits)
        {
            var value = int.Parse(color.AsSpan(start, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var srgb = (digits == 1 ? value * 17 : value) / 255.0;
            return srgb <= 0.03928 ? srgb / 12.92 : Math.Pow((srgb + 0.055) / 1.055, 2.4);
        }
    }
}
