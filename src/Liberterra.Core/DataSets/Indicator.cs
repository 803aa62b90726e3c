namespace Liberterra.Core.DataSets;

/// <summary>
/// How an indicator adds up. A flow counts events and is summed over periods and countries; a stock is a level at a
/// point in time (officers deployed), so a country's periods are combined by their maximum, then summed across countries.
/// </summary>
public enum IndicatorKind
{
    Flow,
    Stock,
}

/// <summary>One category of a breakdown, e.g. "women" of workers identified by sex.</summary>
public sealed record IndicatorOption(string Code, Label Label);

/// <summary>
/// One thing an operation collects. <see cref="PartOf"/> names an indicator of the same kind that this one may not
/// exceed in a return; <see cref="Options"/> makes it a breakdown, reported as one value per option; <see cref="Max"/>
/// bounds each value a return may carry. <see cref="Phrase"/>, when given, is the press summary's wording, with
/// "{value}" where the figure goes.
/// </summary>
public sealed record Indicator(
    string Code,
    Label Label,
    IndicatorKind Kind,
    string? PartOf,
    IReadOnlyList<IndicatorOption> Options,
    long Max,
    Label? Phrase)
{
    public const long DefaultMax = 1_000_000;

    public bool IsBreakdown => Options.Count > 0;
}

/// <summary>
/// Text in several languages, keyed by language tag, with English always present. Shown as text everywhere, never as
/// markup: Razor encodes it, and the API returns it as JSON strings.
/// </summary>
public sealed record Label(IReadOnlyDictionary<string, string> Texts)
{
    public const string English = "en";

    public string En => Texts[English];

    /// <summary>
    /// A label as it reads inside a sentence or after a figure: "Irregular migrants detected" → "irregular migrants
    /// detected", while a leading acronym stays as it is ("INTERPOL checks"). Used by the flags and the dashboard alike.
    /// </summary>
    public static string InSentence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    public static Label Of(string english) => new(new Dictionary<string, string>(StringComparer.Ordinal) { [English] = english });

    public bool Equals(Label? other) =>
        other is not null && Texts.Count == other.Texts.Count
        && Texts.All(pair => other.Texts.TryGetValue(pair.Key, out var text) && string.Equals(text, pair.Value, StringComparison.Ordinal));

    public override int GetHashCode() => En.GetHashCode(StringComparison.Ordinal);
}
