using Liberterra.Core.Countries;

namespace Liberterra.Core.Tests;

public sealed class CountryCodeAndRegionFilterTests
{
    [Theory]
    [InlineData("ESP", "ESP")]
    [InlineData(" esp ", "ESP")]
    [InlineData("Sen", "SEN")]
    public void ACountryCodeIsThreeLettersReadInAnyCase(string text, string expected)
    {
        CountryCode.TryNormalize(text, out var alpha3).Should().BeTrue();
        alpha3.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ES")]
    [InlineData("ESPN")]
    [InlineData("E5P")]
    [InlineData("É S")]
    [InlineData("E\0P")]
    public void AnythingElseIsNotACountryCode(string? text) => CountryCode.TryNormalize(text, out _).Should().BeFalse();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void AnEmptyRegionMeansEveryRegion(string? text)
    {
        RegionFilter.TryParse(text, out var region).Should().BeTrue();
        region.Should().BeNull();
    }

    [Theory]
    [InlineData("Europe", Region.Europe)]
    [InlineData("asia and south pacific", Region.AsiaAndSouthPacific)]
    [InlineData("MiddleEastAndNorthAfrica", Region.MiddleEastAndNorthAfrica)]
    public void ARegionIsNamedByItsDisplayOrEnumName(string text, Region expected)
    {
        RegionFilter.TryParse(text, out var region).Should().BeTrue();
        region.Should().Be(expected);
    }

    [Theory]
    [InlineData("Atlantis")]
    [InlineData("3")]
    [InlineData("Africa,Europe")]
    public void AnythingElseIsNoRegionAndTheRuleNamesItAndTheRegions(string text)
    {
        RegionFilter.TryParse(text, out _).Should().BeFalse();
        RegionFilter.Rule(text).Should().Contain($"'{text}'").And.Contain("Middle East and North Africa");
    }
}
