using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Liberterra.Core.Returns;

/// <summary>
/// One return's figures, keyed by column name ("workplacesInspected", "workersIdentified.women"). Only reported values are
/// held: an absent name is "not reported" and 0 is "reported zero", and the two stay distinct all the way to the totals.
/// Keyed by name rather than position so that adding an indicator to a data set leaves every stored return valid.
/// </summary>
public sealed class ReturnValues : IEquatable<ReturnValues>
{
    private readonly Dictionary<string, long> values;

    // The stored text, made once: a batch writes each return's text twice (the return and its version).
    private string? json;

    private ReturnValues(Dictionary<string, long> values, string? json = null) => (this.values, this.json) = (values, json);

    public static ReturnValues NotReported { get; } = new(new Dictionary<string, long>(StringComparer.Ordinal));

    public long? this[string column] => values.TryGetValue(column, out var value) ? value : null;

    /// <summary>The reported values, in no particular order.</summary>
    public IEnumerable<KeyValuePair<string, long>> Reported => values;

    public bool IsAnyReported => values.Count > 0;

    public static ReturnValues From(IEnumerable<KeyValuePair<string, long?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var reported = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (value is { } v)
            {
                reported[name] = v;
            }
        }

        return reported.Count == 0 ? NotReported : new ReturnValues(reported);
    }

    /// <summary>
    /// The values of <paramref name="reported"/>, which is kept rather than copied (a batch reads thousands of rows):
    /// the caller hands it over and must not change it afterwards.
    /// </summary>
    public static ReturnValues FromReported(Dictionary<string, long> reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        return reported.Count == 0 ? NotReported
            : reported.Comparer == StringComparer.Ordinal ? new ReturnValues(reported)
            : new ReturnValues(new Dictionary<string, long>(reported, StringComparer.Ordinal));
    }

    public static ReturnValues Of(params (string Column, long? Value)[] values) =>
        From(values.Select(pair => KeyValuePair.Create(pair.Column, pair.Value)));

    /// <summary>A copy with one value set, or removed when it is null.</summary>
    public ReturnValues With(string column, long? value) =>
        From(values.Where(pair => pair.Key != column).Select(pair => KeyValuePair.Create(pair.Key, (long?)pair.Value)).Append(KeyValuePair.Create(column, value)));

    /// <summary>The stored form: a JSON object of the reported values, in ordinal order of name, e.g. {"workplacesInspected":12}.</summary>
    public string ToJson() => json ??= Write(values);

    public static ReturnValues FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reported = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Stored figures are not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            reported[name] = reader.GetInt64();
        }

        return reported.Count == 0 ? NotReported : new ReturnValues(reported);
    }

    private static string Write(Dictionary<string, long> values)
    {
        var names = values.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var text = new StringBuilder(names.Length * 24 + 2).Append('{');
        foreach (var name in names)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            // Column names are identifiers joined by a dot, which JSON needs no escape for; anything else is escaped.
            if (name.All(c => char.IsAsciiLetterOrDigit(c) || c == '.'))
            {
                text.Append('"').Append(name).Append('"');
            }
            else
            {
                text.Append(JsonSerializer.Serialize(name));
            }

            text.Append(':').Append(values[name].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append('}').ToString();
    }

    public bool Equals(ReturnValues? other) =>
        other is not null && values.Count == other.values.Count && values.All(pair => other.values.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override bool Equals(object? obj) => Equals(obj as ReturnValues);

    public override int GetHashCode() => values.Aggregate(values.Count, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    public override string ToString() => ToJson();
}
