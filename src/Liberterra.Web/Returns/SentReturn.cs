using System.Text.Json;
using Liberterra.Web.DataSets;
using Liberterra.Web.Writes;

namespace Liberterra.Web.Returns;

/// <summary>
/// A return as a client sends it: a JSON object with country, date and notes, and the operation's indicator codes as
/// further fields. Every figure is optional: leave it out or send null for "not reported". The figures are checked
/// against the operation's data set once the operation is known (<see cref="SentFigures"/>).
/// </summary>
public sealed record SentReturn(string? Country, string? Date, string? Notes, SentFigures Figures)
{
    public const string CountryField = "country";
    public const string DateField = "date";
    public const string NotesField = "notes";

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 8, AllowDuplicateProperties = false };

    /// <summary>Reads one return object: strict JSON (no duplicated fields, no deep nesting), its own fields strings or null.</summary>
    public static (SentReturn? Submission, Dictionary<string, string[]>? Errors) Parse(ReadOnlyMemory<byte> json)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and only fails later, when they are read.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            return (null, new() { ["body"] = ["The JSON is not valid UTF-8."] });
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (InvalidOperationException)
        {
            // With duplicates refused, a property name escaped as a lone surrogate throws this rather than a JsonException.
            return (null, new() { ["body"] = [LoneSurrogate] });
        }
        catch (JsonException exception) when (DuplicatedName(exception) is { } name)
        {
            return (null, new() { [name] = [StrictJson.DuplicatedField] });
        }
        catch (JsonException exception)
        {
            return (null, new() { ["body"] = [Explain(exception)] });
        }

        // The document has checked what a batch's rows cannot refuse whole (duplicates, depth); the return is read as they are.
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, new() { ["body"] = [StrictJson.ExpectedObject] });
            }
        }

        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = Strict.MaxDepth });
        reader.Read();
        return Read(ref reader, new FieldNames());
    }

    /// <summary>
    /// Reads one return object from <paramref name="reader"/>, which is on its start, and leaves the reader on its end,
    /// whatever is wrong with it, so that a batch goes on with its next row. <paramref name="names"/> carries what one
    /// row learns about field names to the next, so that a batch of 10,000 rows does not allocate them for every row.
    /// </summary>
    /// <exception cref="JsonException">The JSON itself is not valid: the batch cannot be read on.</exception>
    public static (SentReturn? Submission, Dictionary<string, string[]>? Errors) Read(ref Utf8JsonReader reader, FieldNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var depth = reader.CurrentDepth;
        string? country = null, date = null, notes = null;
        Dictionary<string, string[]>? errors = null;
        var seen = names.StartRow();
        var figures = names.Figures;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // A batch's rows come from one body that allows duplicates, so that one row's mistake stays that row's.
                var name = names.Next(ref reader);
                var first = seen.Add(name);
                reader.Read();
                if (first && name is CountryField or DateField or NotesField)
                {
                    var text = Text(ref reader, name, ref errors);
                    switch (name)
                    {
                        case CountryField: country = text; break;
                        case DateField: date = text; break;
                        default: notes = text; break;
                    }
                }
                else
                {
                    var figure = SentFigure.Read(ref reader, name, names);
                    if (first)
                    {
                        figures.Add(figure);
                    }
                    else
                    {
                        (errors ??= new(StringComparer.Ordinal))[name] = [StrictJson.DuplicatedField];
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape ("\ud800") passes the reader and only throws when its text is read.
            SkipToEnd(ref reader, depth);
            return (null, new() { ["body"] = [LoneSurrogate] });
        }

        return errors is not null ? (null, errors) : (new SentReturn(country, date, notes, new SentFigures([.. figures])), null);
    }

    private static void SkipToEnd(ref Utf8JsonReader reader, int depth)
    {
        while (!(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth) && reader.Read())
        {
        }
    }

    /// <summary>
    /// The field names of a batch's rows: a set to find a row's duplicates in, and the previous row's names in the order
    /// read, which the next row most likely repeats, so that its name is compared rather than allocated again.
    /// </summary>
    public sealed class FieldNames
    {
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        private readonly List<string> previous = [];
        private int position;

        /// <summary>The row's figures while it is read, copied out at its end; <see cref="Members"/> likewise for one object's members.</summary>
        internal List<SentFigure> Figures { get; } = [];

        internal List<SentFigure> Members { get; } = [];

        internal HashSet<string> StartRow()
        {
            seen.Clear();
            Figures.Clear();
            position = 0;
            return seen;
        }

        /// <summary>The name the reader is on; throws <see cref="InvalidOperationException"/> for a lone surrogate.</summary>
        internal string Next(ref Utf8JsonReader reader)
        {
            var at = position++;
            if (at < previous.Count && reader.ValueTextEquals(previous[at]))
            {
                return previous[at];
            }

            var name = reader.GetString()!;
            if (at < previous.Count)
            {
                previous[at] = name;
            }
            else if (at == previous.Count)
            {
                previous.Add(name);
            }

            return name;
        }
    }

    private const string LoneSurrogate = "The JSON holds a \\u escape that is not valid UTF-16 (a lone surrogate).";

    private static string? Text(ref Utf8JsonReader reader, string name, ref Dictionary<string, string[]>? errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            default:
                SentFigure.CheckText(ref reader);
                (errors ??= new(StringComparer.Ordinal))[name] = [StrictJson.NotText];
                return null;
        }
    }

    // JsonDocument names a duplicated property only in its message ("Duplicate property 'notes' encountered…").
    private static string? DuplicatedName(JsonException exception)
    {
        const string Prefix = "Duplicate property '";
        var message = exception.Message;
        var start = message.IndexOf(Prefix, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf("' ", start + Prefix.Length, StringComparison.Ordinal);
        return end < 0 ? null : message[(start + Prefix.Length)..end];
    }

    private static string Explain(JsonException exception) =>
        exception.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? StrictJson.TooDeep
        : $"Not valid JSON{(exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty)}.";
}
