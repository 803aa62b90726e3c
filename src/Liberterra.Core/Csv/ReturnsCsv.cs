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

/// <summary>One row before its data set is known: the figure cells stay text, by header name, in the header's order; empty cells are left out.</summary>
public sealed record ReturnCsvCells(
    int Row, string Country, ReturnPeriod Period, string? DateText, IReadOnlyList<KeyValuePair<string, string>> Figures, string? Notes, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The row with its figures read as whole numbers, and <see cref="Errors"/> joined by a cell that is not one.</summary>
    public ReturnCsvRow Resolve(DataSet dataSet)
    {
        var (values, figureErrors) = ReadFigures(dataSet);
        var errors = new Dictionary<string, string[]>(Errors, StringComparer.Ordinal);
        foreach (var (name, messages) in figureErrors)
        {
            errors[name] = messages;
        }

        return new ReturnCsvRow(Row, Country, Period, DateText, values, Notes, errors);
    }

    /// <summary>The figures as whole numbers, and an error for each cell that is not one. The header has been checked against <paramref name="dataSet"/>.</summary>
    public (ReturnValues Values, Dictionary<string, string[]> Errors) ReadFigures(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var values = new Dictionary<string, long>(Figures.Count, StringComparer.Ordinal);
        foreach (var (name, text) in Figures)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                values[name] = value;
            }
            else
            {
                errors[name] = [$"'{ReturnsCsv.Truncate(text)}' is not a whole number."];
            }
        }

        return (ReturnValues.FromReported(values), errors);
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

        var at = (Country: Array.IndexOf(header, CountryField), Date: Array.IndexOf(header, DateField), Notes: Array.IndexOf(header, NotesField));
        var rows = new List<ReturnCsvCells>(records.Count - 1);
        for (var i = 1; i < records.Count; i++)
        {
            rows.Add(ParseRow(i, header, records[i], at));
        }

        return new ReturnCsvFile(header, rows);
    }

    // One row's cells by header position; a batch holds 10,000 rows, so a row is read without a dictionary of its cells.
    private static ReturnCsvCells ParseRow(int rowNumber, string[] header, string[] fields, (int Country, int Date, int Notes) at)
    {
        string? Cell(int column) =>
            column >= 0 && column < fields.Length && !string.IsNullOrWhiteSpace(fields[column]) ? fields[column].Trim() : null;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (fields.Length > header.Length)
        {
            errors["row"] = ["The row has more fields than the header."];
        }

        if (!CountryCode.TryNormalize(Cell(at.Country), out var country))
        {
            errors[CountryField] = [CountryCode.Rule];
        }

        var dateText = Cell(at.Date);
        var period = ReturnPeriod.WholeOperation;
        if (dateText is not null && (!ReturnPeriod.TryParse(dateText, out period) || period.IsWholeOperation))
        {
            errors[DateField] = [$"'{dateText}' is not a date in the form yyyy-MM-dd (leave it empty for a whole-operation return)."];
        }

        var figures = new List<KeyValuePair<string, string>>(header.Length);
        for (var column = 0; column < header.Length; column++)
        {
            if (column != at.Country && column != at.Date && column != at.Notes && Cell(column) is { } text)
            {
                figures.Add(KeyValuePair.Create(header[column], text));
            }
        }

        return new ReturnCsvCells(rowNumber, country, period, dateText, figures, Cell(at.Notes), errors);
    }

    internal static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
