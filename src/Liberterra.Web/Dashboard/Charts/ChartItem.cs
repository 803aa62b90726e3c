namespace Liberterra.Web.Dashboard.Charts;

/// <summary>One bar or column. A null <paramref name="Value"/> means "not reported" and is drawn apart from zero.</summary>
/// <param name="Href">Where the mark links to, if anywhere: a relative URL or an http(s) one.</param>
public sealed record ChartItem(string Label, long? Value, string? Href = null);
