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
