using System.Globalization;
using Microsoft.Playwright;

namespace Liberterra.Browser.Tests;

/// <summary>What several browser tests read off the dashboard: its address, and the country table's columns.</summary>
internal static class DashboardPage
{
    public const string Path = "/operations/liberterra-iii";

    public const int ParticipatingCountries = 119;

    /// <summary>The table's rows. The country is the row's th, so a column's cell is its nth child (1-based).</summary>
    public static ILocator Rows(IPage page) => page.Locator("table#countries tbody tr[data-iso3]");

    public static ILocator Names(IPage page) => page.Locator("table#countries tbody tr[data-iso3] > th a");

    public static ILocator Regions(IPage page) => page.Locator("table#countries tbody tr[data-iso3] > :nth-child(2)");

    public static ILocator Arrests(IPage page) => page.Locator("table#countries tbody tr[data-iso3] > :nth-child(3)");

    /// <summary>A figure as the table shows it ("1,234"), or null for "n/r" (not reported).</summary>
    public static long? Figure(string text)
    {
        var trimmed = text.Trim();
        return trimmed == "n/r" ? null : long.Parse(trimmed, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }
}

/// <summary>Just enough RFC 4180 to read the exports back: quoted fields may hold commas, quotes and line breaks.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
