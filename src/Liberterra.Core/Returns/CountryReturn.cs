namespace Liberterra.Core.Returns;

/// <summary>
/// The current version of one country's return for one period of an operation.
/// <see cref="IsIllustrative"/> marks seed data whose split across countries and days was never published.
/// </summary>
public sealed record CountryReturn(
    string Country,
    ReturnPeriod Period,
    ReturnValues Values,
    string? Notes,
    int Version,
    DateTime UpdatedAt,
    bool IsIllustrative);
