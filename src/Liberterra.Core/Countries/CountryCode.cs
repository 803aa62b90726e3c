namespace Liberterra.Core.Countries;

/// <summary>
/// The one rule for a country code wherever a client gives one (a return's body, a CSV row, a path, a filter): three
/// ASCII letters, read case-insensitively and stored in capitals. Whether the country exists or takes part in an
/// operation is a separate question, answered where the operation is known.
/// </summary>
public static class CountryCode
{
    /// <summary>What every refusal of a malformed country code says, so the same mistake reads the same everywhere.</summary>
    public const string Rule = "Must be an ISO 3166-1 alpha-3 code, such as \"ESP\".";

    /// <summary>The code in capitals, or false when the text is not three ASCII letters (surrounding spaces are ignored).</summary>
    public static bool TryNormalize(string? text, out string alpha3)
    {
        alpha3 = text?.Trim().ToUpperInvariant() ?? string.Empty;
        return alpha3.Length == 3 && alpha3.All(char.IsAsciiLetterUpper);
    }
}
