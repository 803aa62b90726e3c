using CsvHelper;

namespace Liberterra.Core.Csv;

/// <summary>
/// RFC 4180 CSV through CsvHelper, set up once for every file the project reads or writes: comma-separated (never
/// guessed from the text), fields quoted with double quotes when they hold a comma, quote or line break, a quote inside
/// a quoted field doubled, records ended by <c>\n</c> when written.
/// </summary>
public static class CsvText
{
    // Strict where a mistake would shift values between columns, lenient where the text is unambiguous. Malformed
    // quoting is found by the callback below (which makes the reader look for it); empty lines stay records, so that a
    // batch's row numbers match the lines a person counts.
    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false,
        SkipEmptyLines = false,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        OnMalformedRecord = Reject,
    };

    private static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with { NewLine = "\n" };

    /// <summary>
    /// Splits CSV text into records of fields. Accepts \n, \r\n and \r line endings and a leading byte-order mark; a
    /// trailing line break ends the last record. A quote inside an unquoted field (<c>5"</c>) is text, as Excel reads it.
    /// </summary>
    /// <exception cref="FormatException">A quoted field is never closed, or a closing quote is followed by something other than a separator.</exception>
    public static IReadOnlyList<string[]> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var csv = CsvReader.Create(reader, ReaderOptions, leaveOpen: true);
        var records = new List<string[]>();
        while (csv.Read())
        {
            records.Add(csv.Current.ToArray());
        }

        return records;
    }

    /// <summary>A writer for one file; dispose it to flush what it holds into <paramref name="writer"/>, which stays open.</summary>
    public static CsvWriter CreateWriter(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return CsvWriter.Create(writer, WriterOptions, leaveOpen: true);
    }

    private static void Reject(CsvMalformedRecord record)
    {
        switch (record.Reason)
        {
            case CsvMalformedReason.UnterminatedQuote:
                throw new FormatException($"The record that starts on line {record.LineNumber} has a quoted field that is never closed.");
            case CsvMalformedReason.TextAfterClosingQuote:
                throw new FormatException($"Line {record.LineNumber}: a closing quote must be followed by a comma or the end of the line.");
        }
    }
}
