using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Liberterra.Web.Dashboard.Charts;

/// <summary>
/// Writes SVG markup for inline use in HTML. Every text and attribute value goes through <see cref="WebUtility.HtmlEncode"/>,
/// so a caller's label can never open an element; numbers are written invariantly with at most one decimal.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _markup = new(4096);

    /// <summary>Opens a start tag: <c>&lt;name</c>. Follow with attributes, then <see cref="Close"/> or <see cref="SelfClose"/>.</summary>
    public SvgWriter Open(string name)
    {
        _markup.Append('<').Append(name);
        return this;
    }

    public SvgWriter Attr(string name, string value)
    {
        _markup.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
        return this;
    }

    public SvgWriter Attr(string name, double value)
    {
        _markup.Append(' ').Append(name).Append("=\"").Append(Number(value)).Append('"');
        return this;
    }

    /// <summary>Ends the start tag: <c>&gt;</c>.</summary>
    public SvgWriter Close()
    {
        _markup.Append('>');
        return this;
    }

    /// <summary>Ends an element without content: <c>/&gt;</c>.</summary>
    public SvgWriter SelfClose()
    {
        _markup.Append("/>");
        return this;
    }

    public SvgWriter End(string name)
    {
        _markup.Append("</").Append(name).Append('>');
        return this;
    }

    /// <summary>Ends the start tag, writes the encoded text and the end tag.</summary>
    public SvgWriter Text(string name, string text)
    {
        _markup.Append('>').Append(WebUtility.HtmlEncode(text)).Append("</").Append(name).Append('>');
        return this;
    }

    /// <summary>A <c>&lt;title&gt;</c> child: the tooltip, and the accessible name of its parent.</summary>
    public SvgWriter Title(string text) => Open("title").Text("title", text);

    public IHtmlContent ToHtml() => new HtmlString(_markup.ToString());

    /// <summary>Rounded to one decimal, invariant, no trailing zeros and never "-0".</summary>
    public static string Number(double value)
    {
        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
