using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class ReturnValidatorTests
{
    private static readonly Operation Operation = new(
        "op", "Op", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 21), OperationStatus.Open,
        new HashSet<string> { "ESP", "SEN" }, [], null);

    private static IReadOnlyDictionary<string, string[]> Validate(ReturnMetrics metrics, string country = "ESP", string period = "2025-11-12", string? notes = null) =>
        ReturnValidator.Validate(Operation, country, ReturnPeriod.Parse(period), metrics, notes);

    [Fact]
    public void AConsistentReturnHasNoErrors() =>
        Validate(new ReturnMetrics
        {
            Arrests = 10, ArrestsTraffickingSmuggling = 4, VictimsSafeguarded = 6, VictimsMinors = 2,
            VictimsByExploitation = new ExploitationBreakdown { Sexual = 3, ForcedLabour = 3 },
            IrregularMigrants = 0, InvestigationsOpened = 1, OfficersDeployed = 50,
        }).Should().BeEmpty();

    [Fact]
    public void AnAllBlankReturnIsValidBecauseBlankMeansNotReported() =>
        Validate(ReturnMetrics.NotReported).Should().BeEmpty();

    [Fact]
    public void ANegativeValueIsRejectedOnItsField() =>
        Validate(new ReturnMetrics { Arrests = -1 }).Should().ContainKey("arrests");

    [Fact]
    public void AValueAboveOneMillionIsRejectedAsATypo() =>
        Validate(new ReturnMetrics { IrregularMigrants = 1_000_001 }).Should().ContainKey("irregularMigrants");

    [Fact]
    public void OneMillionItselfIsAccepted() =>
        Validate(new ReturnMetrics { IrregularMigrants = 1_000_000 }).Should().BeEmpty();

    [Fact]
    public void TraffickingArrestsAboveAllArrestsAreRejected() =>
        Validate(new ReturnMetrics { Arrests = 3, ArrestsTraffickingSmuggling = 4 })["arrestsTraffickingSmuggling"]
            .Should().ContainSingle().Which.Should().Contain("cannot exceed arrests");

    [Fact]
    public void TraffickingArrestsWithoutArrestsAreRejected() =>
        Validate(new ReturnMetrics { ArrestsTraffickingSmuggling = 4 }).Should().ContainKey("arrestsTraffickingSmuggling");

    [Fact]
    public void MinorsAboveVictimsAreRejected() =>
        Validate(new ReturnMetrics { VictimsSafeguarded = 2, VictimsMinors = 3 }).Should().ContainKey("victimsMinors");

    [Fact]
    public void AnExploitationBreakdownAboveVictimsIsRejected() =>
        Validate(new ReturnMetrics { VictimsSafeguarded = 5, VictimsByExploitation = new ExploitationBreakdown { Sexual = 3, OrganRemoval = 3 } })
            .Should().ContainKey("victimsByExploitation");

    [Fact]
    public void AnExploitationBreakdownEqualToVictimsIsAccepted() =>
        Validate(new ReturnMetrics { VictimsSafeguarded = 6, VictimsByExploitation = new ExploitationBreakdown { Sexual = 3, OrganRemoval = 3 } })
            .Should().BeEmpty();

    [Theory]
    [InlineData("2025-11-09")]
    [InlineData("2025-11-22")]
    public void ADateOutsideTheWindowIsRejected(string date) =>
        Validate(new ReturnMetrics { Arrests = 1 }, period: date).Should().ContainKey("date");

    [Theory]
    [InlineData("2025-11-10")]
    [InlineData("2025-11-21")]
    [InlineData("all")]
    public void TheFirstAndLastDaysAndTheWholeOperationAreInside(string period) =>
        Validate(new ReturnMetrics { Arrests = 1 }, period: period).Should().BeEmpty();

    [Fact]
    public void ACountryThatDoesNotTakePartIsRejected() =>
        Validate(new ReturnMetrics { Arrests = 1 }, country: "FRA")["country"].Single().Should().Contain("does not take part");

    [Fact]
    public void NotesLongerThanTwoThousandCharactersAreRejected()
    {
        Validate(ReturnMetrics.NotReported, notes: new string('x', 2000)).Should().BeEmpty();
        Validate(ReturnMetrics.NotReported, notes: new string('x', 2001)).Should().ContainKey("notes");
    }

    [Fact]
    public void NotesWithANulCharacterAreRejectedAndOtherControlCharactersAreNot()
    {
        Validate(ReturnMetrics.NotReported, notes: "tab\tline\r\nend\u0001").Should().BeEmpty();
        Validate(ReturnMetrics.NotReported, notes: "NUL \u0000 here")["notes"].Should().Equal("Must not contain the NUL character (U+0000).");
    }
}
