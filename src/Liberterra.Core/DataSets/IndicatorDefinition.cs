using System.Text.Json;
using System.Text.Json.Serialization;

namespace Liberterra.Core.DataSets;

/// <summary>
/// An indicator as JSON: what a client sends to define one, what <c>GET …/dataset</c> returns, and what the database
/// stores. One shape in and out, so a data set read from one operation can be posted to create another. Every field is
/// nullable here because a client may leave any of them out; <see cref="DataSetDefinition"/> says which are required.
/// </summary>
public sealed record IndicatorDefinition
{
    public string? Code { get; init; }

    /// <summary>Language tag to text; "en" is required.</summary>
    public IReadOnlyDictionary<string, string>? Label { get; init; }

    /// <summary>"flow" (summed over periods and countries) or "stock" (each country's peak, summed).</summary>
    public string? Kind { get; init; }

    /// <summary>The code of an indicator of the same kind that this one may not exceed in a return.</summary>
    public string? PartOf { get; init; }

    /// <summary>Makes the indicator a breakdown, reported as an object keyed by option code.</summary>
    public IReadOnlyList<OptionDefinition>? Options { get; init; }

    /// <summary>The largest value a return may carry (for a breakdown, each option); default 1,000,000.</summary>
    public long? Max { get; init; }

    /// <summary>Optional wording for the press summary, language tag to text, with "{value}" where the figure goes.</summary>
    public IReadOnlyDictionary<string, string>? Phrase { get; init; }

    public static IndicatorDefinition From(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return new()
        {
            Code = indicator.Code,
            Label = indicator.Label.Texts,
            Kind = KindName(indicator.Kind),
            PartOf = indicator.PartOf,
            Options = indicator.IsBreakdown ? indicator.Options.Select(option => new OptionDefinition { Code = option.Code, Label = option.Label.Texts }).ToList() : null,
            Max = indicator.Max,
            Phrase = indicator.Phrase?.Texts,
        };
    }

    public static string KindName(IndicatorKind kind) => kind == IndicatorKind.Stock ? "stock" : "flow";
}

public sealed record OptionDefinition
{
    public string? Code { get; init; }

    public IReadOnlyDictionary<string, string>? Label { get; init; }
}

/// <summary>How an operation's data set is stored: its indicator definitions as one JSON array.</summary>
public static class DataSetJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return JsonSerializer.Serialize(dataSet.Indicators.Select(IndicatorDefinition.From).ToList(), Options);
    }

    // An operation row is read on every write's turn; parsing its data set each time would cost more than the write's own
    // checks, so each stored text is parsed once. Bounded: cleared whole when it fills (data sets change rarely).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DataSet> Parsed = new(StringComparer.Ordinal);
    private const int MaxParsed = 256;

    /// <summary>Reads a stored data set; what is stored was validated when it was written.</summary>
    public static DataSet Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Parsed.TryGetValue(json, out var cached))
        {
            return cached;
        }

        var definitions = JsonSerializer.Deserialize<List<IndicatorDefinition>>(json, Options)
            ?? throw new JsonException("A stored data set is null.");
        var (dataSet, errors) = DataSetDefinition.Build(definitions);
        if (dataSet is null)
        {
            throw new JsonException($"A stored data set is invalid: {string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))}");
        }

        if (Parsed.Count >= MaxParsed)
        {
            Parsed.Clear();
        }

        return Parsed.GetOrAdd(json, dataSet);
    }

    /// <summary>Whether two data sets define the same indicators, as stored.</summary>
    public static bool Same(DataSet a, DataSet b) => ReferenceEquals(a, b) || string.Equals(Serialize(a), Serialize(b), StringComparison.Ordinal);
}
