using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class ReturnValidatorTests
{
    private static readonly Operation Operation = new(
        "op", "Op", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 21), OperationStatus.Open,
        new HashSet<string> { "ESP", "SEN" }, [], null, DataSetTemplates.TraffickingSmuggling);

    private static IReadOnlyDictionary<string, string[]> Validate(ReturnValues metrics, string country = "ESP", string period = "2025-11-12", string? notes = null) =>
        ReturnValidator.Validate(Operation, country, ReturnPeriod.Parse(period), metrics, notes);

    [Fact]
    public void AConsistentReturnHasNoErrors() =>
        Validate(ReturnValues.Of(("victimsByExploitation.sexual", 3), ("victimsByExploitation.forcedLabour", 3), ("arrests", 10), ("arrestsTraffickingSmuggling", 4), ("victimsSafeguarded", 6), ("victimsMinors", 2), ("irregularMigrants", 0), ("investigationsOpened", 1), ("officersDeployed", 50))).Should().BeEmpty();

    [Fact]
    public void AnAllBlankReturnIsValidBecauseBlankMeansNotReported() =>
        Validate(ReturnValues.NotReported).Should().BeEmpty();

    [Fact]
    public void ANegativeValueIsRejectedOnItsField() =>
        Validate(ReturnValues.Of(("arrests", -1))).Should().ContainKey("arrests");

    [Fact]
    public void AValueAboveOneMillionIsRejectedAsATypo() =>
        Validate(ReturnValues.Of(("irregularMigrants", 1_000_001))).Should().ContainKey("irregularMigrants");

    [Fact]
    public void OneMillionItselfIsAccepted() =>
        Validate(ReturnValues.Of(("irregularMigrants", 1_000_000))).Should().BeEmpty();

    [Fact]
    public void TraffickingArrestsAboveAllArrestsAreRejected() =>
        Validate(ReturnValues.Of(("arrests", 3), ("arrestsTraffickingSmuggling", 4)))["arrestsTraffickingSmuggling"]
            .Should().ContainSingle().Which.Should().Contain("cannot exceed arrests");

    [Fact]
    public void TraffickingArrestsWithoutArrestsAreRejected() =>
        Validate(ReturnValues.Of(("arrestsTraffickingSmuggling", 4))).Should().ContainKey("arrestsTraffickingSmuggling");

    [Fact]
    public void MinorsAboveVictimsAreRejected() =>
        Validate(ReturnValues.Of(("victimsSafeguarded", 2), ("victimsMinors", 3))).Should().ContainKey("victimsMinors");

    [Fact]
    public void AnExploitationBreakdownAboveVictimsIsRejected() =>
        Validate(ReturnValues.Of(("victimsByExploitation.sexual", 3), ("victimsByExploitation.organRemoval", 3), ("victimsSafeguarded", 5)))
            .Should().ContainKey("victimsByExploitation");

    [Fact]
    public void AnExploitationBreakdownEqualToVictimsIsAccepted() =>
        Validate(ReturnValues.Of(("victimsByExploitation.sexual", 3), ("victimsByExploitation.organRemoval", 3), ("victimsSafeguarded", 6)))
            .Should().BeEmpty();

    [Theory]
    [InlineData("2025-11-09")]
    [InlineData("2025-11-22")]
    public void ADateOutsideTheWindowIsRejected(string date) =>
        Validate(ReturnValues.Of(("arrests", 1)), period: date).Should().ContainKey("date");

    [Theory]
    [InlineData("2025-11-10")]
    [InlineData("2025-11-21")]
    [InlineData("all")]
    public void TheFirstAndLastDaysAndTheWholeOperationAreInside(string period) =>
        Validate(ReturnValues.Of(("arrests", 1)), period: period).Should().BeEmpty();

    [Fact]
    public void ACountryThatDoesNotTakePartIsRejected() =>
        Validate(ReturnValues.Of(("arrests", 1)), country: "FRA")["country"].Single().Should().Contain("does not take part");

    [Fact]
    public void NotesLongerThanTwoThousandCharactersAreRejected()
    {
        Validate(ReturnValues.NotReported, notes: new string('x', 2000)).Should().BeEmpty();
        Validate(ReturnValues.NotReported, notes: new string('x', 2001)).Should().ContainKey("notes");
    }

    [Fact]
    public void NotesWithANulCharacterAreRejectedAndOtherControlCharactersAreNot()
    {
        Validate(ReturnValues.NotReported, notes: "tab\tline\r\nend\u0001").Should().BeEmpty();
        Validate(ReturnValues.NotReported, notes: "NUL \u0000 here")["notes"].Should().Equal("Must not contain the NUL character (U+0000).");
    }
}
