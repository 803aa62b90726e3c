using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class ReturnPeriodTests
{
    [Theory]
    [InlineData("2025-11-10")]
    [InlineData("all")]
    public void TheTextFormRoundTrips(string text) => ReturnPeriod.Parse(text).ToString().Should().Be(text);

    [Theory]
    [InlineData("10/11/2025")]
    [InlineData("2025-13-01")]
    [InlineData("")]
    [InlineData(null)]
    public void AnythingElseIsNotAPeriod(string? text) => ReturnPeriod.TryParse(text, out _).Should().BeFalse();
}

public sealed class RegionNamesTests
{
    [Theory]
    [InlineData("Asia and South Pacific", Countries.Region.AsiaAndSouthPacific)]
    [InlineData("asiaandsouthpacific", Countries.Region.AsiaAndSouthPacific)]
    [InlineData(" Europe ", Countries.Region.Europe)]
    public void ARegionIsFoundByItsNameOrEnumName(string text, Countries.Region expected)
    {
        Countries.RegionNames.TryParse(text, out var region).Should().BeTrue();
        region.Should().Be(expected);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("Africa,Europe")]
    [InlineData("Atlantis")]
    public void NumbersListsAndUnknownNamesAreNotRegions(string text) =>
        Countries.RegionNames.TryParse(text, out _).Should().BeFalse();
}
