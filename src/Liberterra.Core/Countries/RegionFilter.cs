namespace Liberterra.Core.Countries;

/// <summary>
/// The one rule for a ?region= filter, on the API, the dashboard and its exports: empty means every region (the
/// dashboard's "All regions" sends it), a region's display or enum name picks that region, anything else is refused.
/// </summary>
public static class RegionFilter
{
    /// <summary>What every refusal of an unknown region says.</summary>
    public static string Rule(string text) =>
        $"'{text}' is not a region. Use one of: {string.Join(", ", RegionNames.All.Select(r => r.DisplayName()))}.";

    /// <summary>True with the region, or with null for "every region"; false when the text names no region.</summary>
    public static bool TryParse(string? text, out Region? region)
    {
        region = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!RegionNames.TryParse(text, out var parsed))
        {
            return false;
        }

        region = parsed;
        return true;
    }
}
