using System.Text;
using System.Text.Json;
using Liberterra.Core.Csv;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Web.Writes;

namespace Liberterra.Web.Returns;

/// <summary>
/// Parses a batch of returns (POST …/returns/batch), sent as a JSON array of returns or as CSV with the same field
/// names, into one <see cref="BatchRow"/> per return. A row that cannot become a draft keeps its errors and its country
/// and date as sent, so the batch's summary can name it; only a body that is not a batch at all is refused whole.
/// </summary>
public static class ReturnBatchParser
{
    /// <summary>The most returns one batch may hold, in either form.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Parses <paramref name="bytes"/> as JSON when <paramref name="mediaType"/> is JSON, otherwise as CSV.</summary>
    public static (ReturnBatch? Batch, Dictionary<string, string[]>? Errors) Parse(byte[] bytes, string mediaType) =>
        mediaType == "application/json" ? ParseJson(bytes) : ParseCsv(bytes);

    public static (ReturnBatch? Batch, Dictionary<string, string[]>? Errors) ParseJson(byte[] bytes)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and only fails later, when they are read.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, new() { ["body"] = ["The JSON is not valid UTF-8."] });
        }

        // Parsed without pooled memory, so that each row's figures can keep their elements, rather than a copy each,
        // until the batch is written: the garbage collector frees the document with the last row.
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 8 });
            root = JsonElement.ParseValue(ref reader);

            // Reading past the value throws for anything but white space: trailing content is refused, as JsonDocument.Parse refuses it.
            _ = reader.Read();
        }
        catch (JsonException exception)
        {
            return (null, new() { ["body"] = [$"Not valid JSON{(exception.LineNumber is { } line ? $" (line {line + 1})" : string.Empty)}."] });
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            return (null, new() { ["body"] = ["A JSON batch is an array of returns."] });
        }

        if (root.GetArrayLength() > MaxRows)
        {
            return (null, TooMany());
        }

        var rows = new List<BatchRow>(root.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            index++;
            var (submission, errors) = SentReturn.Read(element, names);
            rows.Add(submission is null
                ? new BatchRow(index, null, NoFigures, errors!, null, null)
                : ToRow(index, submission));
        }

        return (new ReturnBatch(rows, null), null);
    }

    public static (ReturnBatch? Batch, Dictionary<string, string[]>? Errors) ParseCsv(byte[] bytes)
    {
        ReturnCsvFile file;
        try
        {
            file = ReturnsCsv.Read(new StringReader(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes)));
        }
        catch (Exception exception) when (exception is FormatException or DecoderFallbackException)
        {
            return (null, new() { ["body"] = [exception is FormatException ? exception.Message : "The CSV is not valid UTF-8."] });
        }

        if (file.Rows.Count > MaxRows)
        {
            return (null, TooMany());
        }

        var rows = file.Rows.Select(row => new BatchRow(
            row.Row,
            row.Errors.ContainsKey(ReturnsCsv.CountryField) || row.Errors.ContainsKey(ReturnsCsv.DateField) ? null : new ReturnHeading(row.Country, row.Period, row.Notes),
            row.ReadFigures,
            row.Errors,
            row.Country,
            row.DateText)).ToList();
        return (new ReturnBatch(rows, file), null);
    }

    private static readonly Func<DataSet, (ReturnValues, Dictionary<string, string[]>)> NoFigures = _ => (ReturnValues.NotReported, []);

    private static BatchRow ToRow(int index, SentReturn submission)
    {
        var (heading, errors) = ReturnSubmissions.Heading(submission);
        return new BatchRow(index, heading, submission.Figures.Read, errors ?? new Dictionary<string, string[]>(), submission.Country, submission.Date);
    }

    private static Dictionary<string, string[]> TooMany() => new() { ["body"] = [$"A batch holds at most {MaxRows:N0} returns."] };
}
