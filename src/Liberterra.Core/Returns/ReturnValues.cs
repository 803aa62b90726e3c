using System.Buffers;
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
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(utf8.AsSpan(0, Encoding.UTF8.GetBytes(json, utf8)));
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
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }

        return reported.Count == 0 ? NotReported : new ReturnValues(reported);
    }

    // Written by hand rather than by JsonSerializer, straight into the string: a batch writes 10,000 of these.
    private static string Write(Dictionary<string, long> values)
    {
        var pairs = new KeyValuePair<string, long>[values.Count];
        ((ICollection<KeyValuePair<string, long>>)values).CopyTo(pairs, 0);
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        // Column names are identifiers joined by a dot, which JSON needs no escape for; anything else goes through the serializer.
        var length = 1 + Math.Max(pairs.Length, 1);
        foreach (var (name, value) in pairs)
        {
            if (!IsPlain(name))
            {
                return "{" + string.Join(',', pairs.Select(pair => $"{JsonSerializer.Serialize(pair.Key)}:{pair.Value.ToString(CultureInfo.InvariantCulture)}")) + "}";
            }

            length += name.Length + 3 + Digits(value);
        }

        return string.Create(length, pairs, static (text, pairs) =>
        {
            text[0] = '{';
            var at = 1;
            foreach (var (name, value) in pairs)
            {
                if (at > 1)
                {
                    text[at++] = ',';
                }

                text[at++] = '"';
                name.CopyTo(text[at..]);
                at += name.Length;
                text[at++] = '"';
                text[at++] = ':';
                value.TryFormat(text[at..], out var written, default, CultureInfo.InvariantCulture);
                at += written;
            }

            text[at] = '}';
        });
    }

    private static int Digits(long value)
    {
        var digits = value < 0 ? 2 : 1;
        for (var rest = value / 10; rest != 0; rest /= 10)
        {
            digits++;
        }

        return digits;
    }

    private static bool IsPlain(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(ReturnValues? other) =>
        other is not null && values.Count == other.values.Count && values.All(pair => other.values.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override bool Equals(object? obj) => Equals(obj as ReturnValues);

    public override int GetHashCode() => values.Aggregate(values.Count, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    public override string ToString() => ToJson();
}
