using System.Text.Json;
using Liberterra.Web.DataSets;

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
            return (null, new() { [name] = ["This field appears more than once."] });
        }
        catch (JsonException exception)
        {
            return (null, new() { ["body"] = [Explain(exception)] });
        }

        // The figures keep elements of the body; a copy of it outlives the pooled document.
        using (document)
        {
            return Read(document.RootElement.Clone());
        }
    }

    /// <summary>
    /// Reads one return from an element of a parsed document (a batch's row). The figures keep elements of it, so the
    /// document must not be disposed while they are in use. <paramref name="names"/> is a set to reuse for the row's field
    /// names, so that a batch of 10,000 rows does not allocate one each.
    /// </summary>
    public static (SentReturn? Submission, Dictionary<string, string[]>? Errors) Read(JsonElement element, HashSet<string>? names = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { ["body"] = ["Expected a JSON object."] });
        }

        string? country = null, date = null, notes = null;
        Dictionary<string, string[]>? errors = null;
        var figures = new List<KeyValuePair<string, JsonElement>>(element.GetPropertyCount());
        var seen = names ?? new HashSet<string>(StringComparer.Ordinal);
        seen.Clear();
        try
        {
            foreach (var property in element.EnumerateObject())
            {
                // A batch's rows come from one document that allowed duplicates, so that one row's mistake stays that row's.
                // A lone surrogate escape ("\ud800") passes parsing and only throws when its text is read: a name here,
                // or a string of the return's own fields below; any other value is checked before it is kept.
                var name = property.Name;
                var first = seen.Add(name);
                var readAsText = first && name is CountryField or DateField or NotesField;
                if (!readAsText && !HoldsValidText(property.Value))
                {
                    return (null, new() { ["body"] = [LoneSurrogate] });
                }

                if (!first)
                {
                    (errors ??= new(StringComparer.Ordinal))[name] = ["This field appears more than once."];
                    continue;
                }

                switch (name)
                {
                    case CountryField: country = Text(property, ref errors); break;
                    case DateField: date = Text(property, ref errors); break;
                    case NotesField: notes = Text(property, ref errors); break;
                    default: figures.Add(KeyValuePair.Create(name, property.Value)); break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            return (null, new() { ["body"] = [LoneSurrogate] });
        }

        return errors is not null ? (null, errors) : (new SentReturn(country, date, notes, new SentFigures(figures)), null);
    }

    private const string LoneSurrogate = "The JSON holds a \\u escape that is not valid UTF-16 (a lone surrogate).";

    private static bool HoldsValidText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString() is not null,
                JsonValueKind.Object => element.EnumerateObject().All(property => property.Name is not null && HoldsValidText(property.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(HoldsValidText),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? Text(JsonProperty property, ref Dictionary<string, string[]>? errors)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return property.Value.GetString();
            default:
                (errors ??= new(StringComparer.Ordinal))[property.Name] = ["Must be a string or null."];
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
        exception.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? "The JSON is nested too deeply."
        : $"Not valid JSON{(exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty)}.";
}
