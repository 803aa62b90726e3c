using System.Globalization;
using Liberterra.Core.Countries;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Csv;

/// <summary>One parsed CSV row. <see cref="Errors"/> holds per-field problems; when it is empty the row parsed cleanly.</summary>
public sealed record ReturnCsvRow(
    int Row,
    string Country,
    ReturnPeriod Period,
    string? DateText,
    ReturnMetrics Metrics,
    string? Notes,
    IReadOnlyDictionary<string, string[]> Errors);

/// <summary>
/// The returns CSV format shared by the seed files and batch uploads: a header row with the API's field names
/// (<c>country,date,arrests,…,victimsByExploitation.sexual,…,notes</c>). An empty cell is "not reported".
/// </summary>
public static class ReturnsCsv
{
    public const string CountryField = "country";
    public const string DateField = "date";
    public const string NotesField = "notes";

    public static IReadOnlyList<string> Header { get; } =
        [CountryField, DateField, .. MetricCatalog.All.Select(metric => metric.Name), NotesField];

    /// <summary>Reads every row; a malformed cell becomes an error on its row rather than an exception.</summary>
    /// <exception cref="FormatException">The text is not CSV, or the header is missing a required column or names an unknown one.</exception>
    public static IReadOnlyList<ReturnCsvRow> Read(TextReader reader)
    {
        var records = CsvText.Parse(reader);
        if (records.Count == 0)
        {
            throw new FormatException("The CSV has no header row.");
        }

        var header = records[0].Select(name => name.Trim()).ToArray();
        var unknown = header.Where(name => !Header.Contains(name, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"Unknown column(s): {string.Join(", ", unknown)}. Expected: {string.Join(",", Header)}.");
        }

        if (!header.Contains(CountryField, StringComparer.Ordinal) || !header.Contains(DateField, StringComparer.Ordinal))
        {
            throw new FormatException($"The header must name the '{CountryField}' and '{DateField}' columns.");
        }

        var duplicated = header.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (duplicated.Count > 0)
        {
            throw new FormatException($"Column(s) named twice: {string.Join(", ", duplicated)}.");
        }

        return records.Skip(1).Select((fields, i) =>
        {
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var column = 0; column < header.Length; column++)
            {
                var value = column < fields.Length ? fields[column] : null;
                cells[header[column]] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            }

            return ParseRow(i + 1, cells, fields.Length > header.Length);
        }).ToList();
    }

    private static ReturnCsvRow ParseRow(int rowNumber, Dictionary<string, string?> cells, bool hasExtraFields)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (hasExtraFields)
        {
            errors["row"] = ["The row has more fields than the header."];
        }

        if (!CountryCode.TryNormalize(cells.GetValueOrDefault(CountryField), out var country))
        {
            errors[CountryField] = [CountryCode.Rule];
        }

        var dateText = cells.GetValueOrDefault(DateField);
        var period = ReturnPeriod.WholeOperation;
        if (dateText is not null && (!ReturnPeriod.TryParse(dateText, out period) || period.IsWholeOperation))
        {
            errors[DateField] = [$"'{dateText}' is not a date in the form yyyy-MM-dd (leave it empty for a whole-operation return)."];
        }

        var values = new int?[MetricCatalog.All.Count];
        foreach (var metric in MetricCatalog.All)
        {
            if (cells.GetValueOrDefault(metric.Name) is not { } text)
            {
                continue;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                values[metric.Index] = value;
            }
            else
            {
                errors[metric.Name] = [$"'{Truncate(text)}' is not a whole number."];
            }
        }

        return new ReturnCsvRow(rowNumber, country, period, dateText, MetricCatalog.FromValues(values), cells.GetValueOrDefault(NotesField), errors);
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
