using System.Text.RegularExpressions;

namespace Liberterra.Core.DataSets;

/// <summary>
/// The rules a data set's definition must pass before an operation may use it. Every error is keyed by the path of the
/// field at fault, e.g. <c>indicators[2].partOf</c>, so the API can hand them back as per-field validation problems.
/// </summary>
public static partial class DataSetDefinition
{
    public const int MaxCodeLength = 64;
    public const int MaxLabelLength = 200;
    public const int MaxLanguages = 20;
    public const long MaxMax = 1_000_000_000;
    public const string ValuePlaceholder = "{value}";

    /// <summary>
    /// Names an indicator may not take: a return's own fields and the fields every read route carries beside the
    /// figures (they share one JSON object), and names that JavaScript clients treat specially.
    /// </summary>
    public static IReadOnlySet<string> ReservedCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "country", "date", "notes", "version", "operation", "updatedAt", "illustrative", "submittedAt", "submittedBy", "changedFields",
        "name", "region", "participant", "lastUpdated", "countriesParticipating", "countriesReporting", "reportedBy",
        "illustrativeAllocation", "notice", "row", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty",
    };

    public const string CodeRule = "camelCase letters and digits, starting with a lower-case letter, at most 64 characters, e.g. \"workplacesInspected\".";

    public static bool IsCode(string? code) => code is { Length: > 0 and <= MaxCodeLength } && CodePattern().IsMatch(code);

    /// <summary>Checks a whole definition and builds the data set, or says what is wrong with it, field by field.</summary>
    public static (DataSet? DataSet, Dictionary<string, string[]> Errors) Build(IReadOnlyList<IndicatorDefinition?>? definitions, string field = "indicators")
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            list.Add(message);
        }

        if (definitions is not { Count: > 0 })
        {
            Add(field, "At least one indicator is required.");
            return (null, Frozen(errors));
        }

        if (definitions.Count > DataSet.MaxIndicators)
        {
            Add(field, $"At most {DataSet.MaxIndicators} indicators; got {definitions.Count:N0}.");
            return (null, Frozen(errors));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (definitions[i] is not { } definition)
            {
                Add(at, "Must be an indicator object.");
                continue;
            }

            CheckIndicator(definition, at, Add);
            if (definition.Code is { } code && IsCode(code) && !seen.TryAdd(code, i))
            {
                Add($"{at}.code", $"'{code}' is already the code of {field}[{seen[code]}].");
            }
        }

        for (var i = 0; i < definitions.Count; i++)
        {
            if (definitions[i] is { PartOf: { } parent } definition)
            {
                CheckPartOf(definitions, i, parent, seen, $"{field}[{i}].partOf", Add);
            }
        }

        if (errors.Count > 0)
        {
            return (null, Frozen(errors));
        }

        return (new DataSet(definitions.Select(d => ToIndicator(d!)).ToList()), Frozen(errors));
    }

    private static void CheckIndicator(IndicatorDefinition definition, string at, Action<string, string> add)
    {
        if (!IsCode(definition.Code))
        {
            add($"{at}.code", $"Required: {CodeRule}");
        }
        else if (ReservedCodes.Contains(definition.Code!))
        {
            add($"{at}.code", $"'{definition.Code}' is reserved for a return's own fields; choose another code.");
        }

        CheckTexts(definition.Label, $"{at}.label", required: true, add);
        CheckTexts(definition.Phrase, $"{at}.phrase", required: false, add);
        if (definition.Phrase is { } phrase && phrase.Values.Any(text => !text.Contains(ValuePlaceholder, StringComparison.Ordinal)))
        {
            add($"{at}.phrase", $"Each text must contain {ValuePlaceholder} where the figure goes.");
        }

        if (definition.Kind is not ("flow" or "stock"))
        {
            add($"{at}.kind", "Required: \"flow\" (summed over periods and countries) or \"stock\" (each country's peak, summed).");
        }

        if (definition.Max is { } max && (max < 1 || max > MaxMax))
        {
            add($"{at}.max", $"Must be a whole number from 1 to {MaxMax:N0}.");
        }

        if (definition.Options is not { } options)
        {
            return;
        }

        if (options.Count is 0 or > DataSet.MaxOptions)
        {
            add($"{at}.options", $"A breakdown has 1 to {DataSet.MaxOptions} options; got {options.Count:N0}. Leave options out for a plain indicator.");
            return;
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < options.Count; j++)
        {
            var optionAt = $"{at}.options[{j}]";
            if (options[j] is not { } option)
            {
                add(optionAt, "Must be an option object.");
                continue;
            }

            if (!IsCode(option.Code))
            {
                add($"{optionAt}.code", $"Required: {CodeRule}");
            }
            else if (!codes.Add(option.Code!))
            {
                add($"{optionAt}.code", $"'{option.Code}' is listed twice.");
            }

            CheckTexts(option.Label, $"{optionAt}.label", required: true, add);
        }
    }

    private static void CheckTexts(IReadOnlyDictionary<string, string>? texts, string at, bool required, Action<string, string> add)
    {
        if (texts is null)
        {
            if (required)
            {
                add(at, "Required: an object from language tag to text, with \"en\", e.g. {\"en\": \"Arrests\"}.");
            }

            return;
        }

        if (!texts.ContainsKey(Label.English))
        {
            add(at, "Must include English (\"en\").");
        }

        if (texts.Count > MaxLanguages)
        {
            add(at, $"At most {MaxLanguages} languages.");
        }

        foreach (var (tag, text) in texts.Take(MaxLanguages + 1))
        {
            if (!LanguageTagPattern().IsMatch(tag))
            {
                add(at, $"'{Shorten(tag)}' is not a language tag such as \"en\", \"fr\" or \"es-419\".");
            }

            if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLabelLength || text.Any(char.IsControl))
            {
                add($"{at}.{(LanguageTagPattern().IsMatch(tag) ? tag : "text")}", $"Must be 1 to {MaxLabelLength} characters of text, with no control characters.");
            }
        }
    }

    private static void CheckPartOf(
        IReadOnlyList<IndicatorDefinition?> definitions, int index, string parent, Dictionary<string, int> seen, string at, Action<string, string> add)
    {
        var definition = definitions[index]!;
        if (!seen.TryGetValue(parent, out var parentIndex))
        {
            add(at, $"'{Shorten(parent)}' names no indicator of this data set.");
            return;
        }

        var whole = definitions[parentIndex]!;
        if (whole.Kind != definition.Kind)
        {
            add(at, $"'{parent}' is a {whole.Kind} and this indicator a {definition.Kind}: a part must be of the same kind as its whole.");
        }

        if (whole.Options is { Count: > 0 })
        {
            add(at, $"'{parent}' is a breakdown; a part must belong to a plain indicator.");
        }

        // Follow the chain upwards; coming back to this indicator, or walking longer than the list, is a cycle.
        var current = whole;
        for (var steps = 0; current is { PartOf: { } next }; steps++)
        {
            if (string.Equals(next, definition.Code, StringComparison.Ordinal) || steps > definitions.Count)
            {
                add(at, $"'{parent}' is, through partOf, part of this indicator: partOf may not form a cycle.");
                return;
            }

            current = seen.TryGetValue(next, out var nextIndex) ? definitions[nextIndex] : null;
        }
    }

    private static Indicator ToIndicator(IndicatorDefinition definition) => new(
        definition.Code!,
        new Label(Copy(definition.Label!)),
        definition.Kind == "stock" ? IndicatorKind.Stock : IndicatorKind.Flow,
        definition.PartOf,
        (definition.Options ?? []).Select(option => new IndicatorOption(option.Code!, new Label(Copy(option.Label!)))).ToList(),
        definition.Max ?? Indicator.DefaultMax,
        definition.Phrase is { } phrase ? new Label(Copy(phrase)) : null);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> texts) => texts.ToDictionary(StringComparer.Ordinal);

    private static Dictionary<string, string[]> Frozen(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*\z")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}\z")]
    private static partial Regex LanguageTagPattern();
}
