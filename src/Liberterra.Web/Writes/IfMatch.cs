using System.Globalization;
using Liberterra.Data;
using Microsoft.Extensions.Primitives;

namespace Liberterra.Web.Writes;

/// <summary>
/// Reads an If-Match header (RFC 9110 §13.1.1) as a return's versions: <c>*</c>, or one or more ETags such as
/// <c>"3"</c> (weak ones too, since a version is all an ETag here says). Anything else is refused rather than ignored:
/// a client that sends a precondition means it, and a write it cannot check must not go ahead.
/// </summary>
public static class IfMatch
{
    /// <summary>
    /// True with a null <paramref name="precondition"/> when there is no header; true with one when the header is
    /// <c>*</c> alone or every tag is a quoted version number; false (and null) otherwise, an empty header included.
    /// </summary>
    public static bool TryParse(StringValues header, out Precondition? precondition)
    {
        precondition = null;
        if (header.Count == 0)
        {
            return true;
        }

        var tags = header.SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (tags is ["*"])
        {
            precondition = new Precondition(true, new HashSet<int>());
            return true;
        }

        var versions = new HashSet<int>();
        foreach (var tag in tags)
        {
            var text = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
            if (text.Length < 3 || text[0] != '"' || text[^1] != '"'
                || !int.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }

            versions.Add(version);
        }

        if (versions.Count == 0)
        {
            return false;
        }

        precondition = new Precondition(false, versions);
        return true;
    }
}
