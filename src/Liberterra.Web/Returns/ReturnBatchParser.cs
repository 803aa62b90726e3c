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

        // Read as a stream of tokens rather than a document: each row's figures are read straight from the body, so a
        // batch of 10,000 rows holds no document and no copy of one.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 8 });
        var rows = new List<BatchRow>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                // Anything else is refused as not a batch, once it is known to be JSON at all.
                reader.Skip();
                _ = reader.Read();
                return (null, new() { ["body"] = ["A JSON batch is an array of returns."] });
            }

            var names = new SentReturn.FieldNames();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (rows.Count == MaxRows)
                {
                    return (null, TooMany());
                }

                var index = rows.Count + 1;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    rows.Add(new BatchRow(index, null, NoFigures, new Dictionary<string, string[]> { ["body"] = [StrictJson.ExpectedObject] }, null, null));
                    continue;
                }

                var (submission, errors) = SentReturn.Read(ref reader, names);
                rows.Add(submission is null ? new BatchRow(index, null, NoFigures, errors!, null, null) : ToRow(index, submission));
            }

            // Reading past the array throws for anything but white space: trailing content is refused.
            _ = reader.Read();
        }
        catch (JsonException exception)
        {
            return (null, new() { ["body"] = [$"Not valid JSON{(exception.LineNumber is { } line ? $" (line {line + 1})" : string.Empty)}."] });
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
