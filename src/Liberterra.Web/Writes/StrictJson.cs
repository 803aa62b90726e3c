using System.Text.Json;
using System.Text.Json.Serialization;

namespace Liberterra.Web.Writes;

/// <summary>
/// Strict JSON for writes: unknown properties (a typo such as "arest"), duplicated properties, numbers sent as
/// strings, fractions and over-deep nesting are all refused with a per-field message rather than silently read.
/// </summary>
public static class StrictJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    // The messages a JSON mistake gets, here and wherever else a body is read (SentReturn), so both say the same.
    public const string DuplicatedField = "This field appears more than once.";
    public const string TooDeep = "The JSON is nested too deeply.";
    public const string NotText = "Must be a string or null.";
    public const string ExpectedObject = "Expected a JSON object.";

    public static (T? Value, Dictionary<string, string[]>? Errors) Deserialize<T>(ReadOnlySpan<byte> json, string prefix = "")
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) is { } value
                ? (value, null)
                : (null, new Dictionary<string, string[]> { [Field(prefix, null)] = [ExpectedObject] });
        }
        catch (JsonException exception)
        {
            return (null, new Dictionary<string, string[]> { [Field(prefix, exception.Path)] = [Explain(exception)] });
        }
    }

    // The serializer's own messages name .NET types; clients get one in the API's terms instead.
    private static string Explain(JsonException exception)
    {
        var message = exception.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "Unknown field. Check its spelling against the API's field names.";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return DuplicatedField;
        }

        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return TooDeep;
        }

        var field = exception.Path?.Split('.').LastOrDefault() ?? string.Empty;
        return field.EndsWith("Date", StringComparison.Ordinal)
            ? "Must be a date in the form yyyy-MM-dd."
            : field is "country" or "date" or "notes" or "code" or "name"
            ? NotText
            : field is "max"
                ? "Must be a whole number."
                : $"Not valid JSON here{(exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty)}.";
    }

    private static string Field(string prefix, string? path)
    {
        var field = path is null or "$" ? "body" : path.TrimStart('$').TrimStart('.');
        return prefix + field;
    }
}
