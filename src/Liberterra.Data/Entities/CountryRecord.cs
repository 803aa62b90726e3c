using Liberterra.Core.Countries;

namespace Liberterra.Data.Entities;

public sealed class CountryRecord
{
    public required string Alpha3 { get; init; }
    public required string Alpha2 { get; set; }
    public required string Name { get; set; }
    public Region Region { get; set; }

    public Country ToDomain() => new(Alpha2, Alpha3, Name, Region);
}
