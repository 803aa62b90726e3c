using Liberterra.Data;

namespace Liberterra.Web.Writes;

/// <summary>One row of a batch as parsed: its draft, or why it has none, and its country and date as sent (for the summary).</summary>
public sealed record BatchRow(int Row, ReturnDraft? Draft, IReadOnlyDictionary<string, string[]> Errors, string? CountryText, string? DateText);
