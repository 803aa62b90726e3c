using Liberterra.Web.Writes;
using Microsoft.Extensions.Primitives;

namespace Liberterra.Web.Tests;

public sealed class IfMatchTests
{
    [Fact]
    public void NoHeaderIsNoPrecondition()
    {
        IfMatch.TryParse(StringValues.Empty, out var precondition).Should().BeTrue();
        precondition.Should().BeNull();
    }

    [Fact]
    public void AStarAloneAsksForAnyExistingVersion()
    {
        IfMatch.TryParse(" * ", out var precondition).Should().BeTrue();
        precondition!.AnyExisting.Should().BeTrue();
        precondition.IsMetBy(7).Should().BeTrue();
        precondition.IsMetBy(null).Should().BeFalse("a return that does not exist yet has no version to match");
    }

    [Fact]
    public void QuotedVersionsInOneOrManyHeaderValuesAreTheVersionsAccepted()
    {
        IfMatch.TryParse(new StringValues(["\"3\", W/\"5\"", "\"8\""]), out var precondition).Should().BeTrue();
        precondition!.AnyExisting.Should().BeFalse();
        precondition.Versions.Should().BeEquivalentTo([3, 5, 8]);
        precondition.IsMetBy(5).Should().BeTrue();
        precondition.IsMetBy(4).Should().BeFalse();
    }

    [Theory]
    [InlineData("3")]
    [InlineData("W/3")]
    [InlineData("\"x\"")]
    [InlineData("\"-1\"")]
    [InlineData("\" 3\"")]
    [InlineData("\"\"")]
    [InlineData("\"99999999999\"")]
    [InlineData("*, \"3\"")]
    [InlineData("\"3\", junk")]
    [InlineData("")]
    [InlineData(",")]
    public void AnythingButAStarOrQuotedVersionsIsRefused(string header)
    {
        IfMatch.TryParse(header, out var precondition).Should().BeFalse();
        precondition.Should().BeNull();
    }
}
