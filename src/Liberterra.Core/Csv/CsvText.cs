using System.Text;

namespace Liberterra.Core.Csv;

/// <summary>
/// Minimal RFC 4180 CSV: comma-separated, fields quoted with double quotes when they hold a comma, quote or line break,
/// and a quote inside a quoted field doubled. Small enough to own outright rather than depend on a library.
/// </summary>
public static class CsvText
{
    /// <summary>Splits CSV text into records of fields. Accepts \n and \r\n line endings; a trailing line break ends the last record.</summary>
    /// <exception cref="FormatException">A quoted field is never closed, or a quote is followed by something other than a separator.</exception>
    public static IReadOnlyList<string[]> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldStarted = false;
        var line = 1;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }

        void EndRecord()
        {
            EndField();
            records.Add([.. fields]);
            fields.Clear();
        }

        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch != '"')
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                    continue;
                }

                if (reader.Peek() == '"')
                {
                    reader.Read();
                    field.Append('"');
                    continue;
                }

                inQuotes = false;
                var next = reader.Peek();
                if (next is not (',' or '\r' or '\n' or -1))
                {
                    throw new FormatException($"Line {line}: a closing quote must be followed by a comma or the end of the line.");
                }

                continue;
            }

            switch (ch)
            {
                case '"' when !fieldStarted && field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    break;
                default:
                    fieldStarted = true;
                    field.Append(ch);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new FormatException($"Line {line}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            EndRecord();
        }

        return records;
    }

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(',', fields.Select(Escape)));
        writer.Write('\n');
    }
}
