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

    private ReturnValues(Dictionary<string, long> values) => this.values = values;

    public static ReturnValues NotReported { get; } = new(new Dictionary<string, long>(StringComparer.Ordinal));

    public long? this[string column] => values.TryGetValue(column, out var value) ? value : null;

    /// <summary>The reported values, by column name in ordinal order.</summary>
    public IEnumerable<KeyValuePair<string, long>> Reported => values.OrderBy(pair => pair.Key, StringComparer.Ordinal);

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

    public static ReturnValues Of(params (string Column, long? Value)[] values) =>
        From(values.Select(pair => KeyValuePair.Create(pair.Column, pair.Value)));

    /// <summary>A copy with one value set, or removed when it is null.</summary>
    public ReturnValues With(string column, long? value) =>
        From(values.Where(pair => pair.Key != column).Select(pair => KeyValuePair.Create(pair.Key, (long?)pair.Value)).Append(KeyValuePair.Create(column, value)));

    /// <summary>The stored form: a JSON object of the reported values, in ordinal order of name, e.g. {"workplacesInspected":12}.</summary>
    public string ToJson()
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in Reported)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.Append(JsonSerializer.Serialize(name)).Append(':').Append(value.ToString(CultureInfo.InvariantCulture));
        }

        return json.Append('}').ToString();
    }

    public static ReturnValues FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var reported = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            reported[property.Name] = property.Value.GetInt64();
        }

        return reported.Count == 0 ? NotReported : new ReturnValues(reported);
    }

    public bool Equals(ReturnValues? other) =>
        other is not null && values.Count == other.values.Count && values.All(pair => other.values.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override bool Equals(object? obj) => Equals(obj as ReturnValues);

    public override int GetHashCode() => values.Aggregate(values.Count, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    public override string ToString() => ToJson();
}
