namespace Liberterra.Core.Countries;

/// <summary>An ISO 3166-1 country. Alpha-3 is the identifier used everywhere in the API.</summary>
public sealed record Country(string Alpha2, string Alpha3, string Name, Region Region);
