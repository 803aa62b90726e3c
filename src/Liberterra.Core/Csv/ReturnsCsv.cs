using System.Globalization;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Csv;

/// <summary>One row read against a data set. <see cref="Errors"/> holds per-field problems; when it is empty the row parsed cleanly.</summary>
public sealed record ReturnCsvRow(
    int Row,
    string Country,
    ReturnPeriod Period,
    string? DateText,
    ReturnValues Values,
    string? Notes,
    IReadOnlyDictionary<string, string[]> Errors);

/// <summary>
/// A returns CSV read before its operation is known: the header, and each row's country, date, notes and the text of
/// its other cells. <see cref="Resolve"/> reads those cells as the columns of a data set.
/// </summary>
public sealed record ReturnCsvFile(IReadOnlyList<string> Header, IReadOnlyList<ReturnCsvCells> Rows)
{
    /// <summary>Header names that are not a column of the data set, or null when every one is.</summary>
    public string? HeaderProblem(DataSet dataSet)
    {
        var expected = ReturnsCsv.Header(dataSet);
        var unknown = Header.Where(name => !expected.Contains(name, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0
            ? null
            : $"Unknown column(s): {string.Join(", ", unknown.Take(10).Select(ReturnsCsv.Truncate))}. Expected: {string.Join(",", expected)}.";
    }

    /// <summary>Every row read as the data set's columns.</summary>
    /// <exception cref="FormatException">The header names a column the data set does not have.</exception>
    public IReadOnlyList<ReturnCsvRow> Resolve(DataSet dataSet)
    {
        if (HeaderProblem(dataSet) is { } problem)
        {
            throw new FormatException(problem);
        }

        return Rows.Select(row => row.Resolve(dataSet)).ToList();
    }
}

/// <summary>One row before its data set is known: the figure cells stay text, keyed by header name; empty cells are left out.</summary>
public sealed record ReturnCsvCells(
    int Row, string Country, ReturnPeriod Period, string? DateText, IReadOnlyDictionary<string, string> Figures, string? Notes, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The figures as whole numbers; a cell that is not one becomes an error on its column.</summary>
    public ReturnCsvRow Resolve(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var errors = new Dictionary<string, string[]>(Errors, StringComparer.Ordinal);
        var values = new List<KeyValuePair<string, long?>>();
        foreach (var (name, text) in Figures)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                values.Add(KeyValuePair.Create(name, (long?)value));
            }
            else
            {
                errors[name] = [$"'{ReturnsCsv.Truncate(text)}' is not a whole number."];
            }
        }

        return new ReturnCsvRow(Row, Country, Period, DateText, ReturnValues.From(values), Notes, errors);
    }
}

/// <summary>
/// The returns CSV format shared by the seed files and batch uploads: a header row with the API's field names, that is
/// country, date, the data set's columns (an indicator's code, or <c>code.option</c> for a breakdown's option), and notes.
/// An empty cell is "not reported".
/// </summary>
public static class ReturnsCsv
{
    public const string CountryField = "country";
    public const string DateField = "date";
    public const string NotesField = "notes";

    public static IReadOnlyList<string> Header(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return [CountryField, DateField, .. dataSet.Columns.Select(column => column.Name), NotesField];
    }

    /// <summary>Reads every row as the data set's columns; a malformed cell becomes an error on its row rather than an exception.</summary>
    /// <exception cref="FormatException">The text is not CSV, or the header is missing a required column or names an unknown one.</exception>
    public static IReadOnlyList<ReturnCsvRow> Read(TextReader reader, DataSet dataSet) => Read(reader).Resolve(dataSet);

    /// <summary>Reads the header and every row's cells, before the data set is known.</summary>
    /// <exception cref="FormatException">The text is not CSV, or the header lacks country or date, or names a column twice.</exception>
    public static ReturnCsvFile Read(TextReader reader)
    {
        var records = CsvText.Parse(reader);
        if (records.Count == 0)
        {
            throw new FormatException("The CSV has no header row.");
        }

        var header = records[0].Select(name => name.Trim()).ToArray();
        if (!header.Contains(CountryField, StringComparer.Ordinal) || !header.Contains(DateField, StringComparer.Ordinal))
        {
            throw new FormatException($"The header must name the '{CountryField}' and '{DateField}' columns.");
        }

        var duplicated = header.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (duplicated.Count > 0)
        {
            throw new FormatException($"Column(s) named twice: {string.Join(", ", duplicated.Take(10).Select(Truncate))}.");
        }

        var rows = records.Skip(1).Select((fields, i) =>
        {
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var column = 0; column < header.Length; column++)
            {
                var value = column < fields.Length ? fields[column] : null;
                cells[header[column]] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            }

            return ParseRow(i + 1, cells, fields.Length > header.Length);
        }).ToList();
        return new ReturnCsvFile(header, rows);
    }

    private static ReturnCsvCells ParseRow(int rowNumber, Dictionary<string, string?> cells, bool hasExtraFields)
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

        var figures = cells
            .Where(cell => cell.Key is not (CountryField or DateField or NotesField) && cell.Value is not null)
            .ToDictionary(cell => cell.Key, cell => cell.Value!, StringComparer.Ordinal);
        return new ReturnCsvCells(rowNumber, country, period, dateText, figures, cells.GetValueOrDefault(NotesField), errors);
    }

    internal static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
