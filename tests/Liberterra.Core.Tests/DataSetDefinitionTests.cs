using Liberterra.Core.DataSets;

namespace Liberterra.Core.Tests;

public sealed class DataSetDefinitionTests
{
    private static IndicatorDefinition Indicator(string code, string kind = "flow", string? partOf = null, params string[] options) => new()
    {
        Code = code,
        Label = new Dictionary<string, string> { ["en"] = code },
        Kind = kind,
        PartOf = partOf,
        Options = options.Length == 0 ? null : options.Select(o => new OptionDefinition { Code = o, Label = new Dictionary<string, string> { ["en"] = o } }).ToList(),
    };

    private static Dictionary<string, string[]> Errors(params IndicatorDefinition?[] indicators) => DataSetDefinition.Build(indicators).Errors;

    [Fact]
    public void AStockASubtotalAndABreakdownBuildOneColumnPerValueInOrder()
    {
        var (dataSet, errors) = DataSetDefinition.Build(
        [
            Indicator("workplacesInspected"),
            Indicator("workplacesWithViolations", partOf: "workplacesInspected"),
            Indicator("workersIdentified", "flow", null, "women", "men"),
            Indicator("vehiclesDeployed", "stock"),
        ]);

        errors.Should().BeEmpty();
        dataSet!.Columns.Select(c => c.Name).Should().Equal(
            "workplacesInspected", "workplacesWithViolations", "workersIdentified.women", "workersIdentified.men", "vehiclesDeployed");
        dataSet.Columns.Select(c => c.Index).Should().Equal(0, 1, 2, 3, 4);
        dataSet.Find("vehiclesDeployed")!.Kind.Should().Be(IndicatorKind.Stock);
        dataSet.Find("workersIdentified")!.Max.Should().Be(Liberterra.Core.DataSets.Indicator.DefaultMax);
        dataSet.TopLevel.Select(i => i.Code).Should().Equal("workplacesInspected", "workersIdentified", "vehiclesDeployed");
    }

    [Fact]
    public void ADuplicateCodeIsNamedAtItsSecondPlace() =>
        Errors(Indicator("arrests"), Indicator("arrests")).Should().ContainKey("indicators[1].code");

    [Fact]
    public void APartOfThatNamesNothingOrAnotherKindIsRefused()
    {
        Errors(Indicator("a"), Indicator("b", partOf: "nowhere")).Should().ContainKey("indicators[1].partOf");
        Errors(Indicator("a", "stock"), Indicator("b", "flow", "a"))["indicators[1].partOf"].Single().Should().Contain("same kind");
    }

    [Fact]
    public void ACycleIsRefused()
    {
        Errors(Indicator("a", partOf: "b"), Indicator("b", partOf: "a")).Should().ContainKey("indicators[0].partOf");
        Errors(Indicator("a", partOf: "a")).Should().ContainKey("indicators[0].partOf");
    }

    [Theory]
    [InlineData("__proto__")]
    [InlineData("constructor")]
    [InlineData("country")]
    [InlineData("reportedBy")]
    [InlineData("Arrests")]
    [InlineData("has-hyphen")]
    [InlineData("1st")]
    public void ACodeThatIsNotACamelCaseIdentifierOrIsReservedIsRefused(string code) =>
        Errors(Indicator(code)).Should().ContainKey("indicators[0].code");

    [Fact]
    public void AnOptionCodeThatIsNotAnIdentifierIsRefused() =>
        Errors(Indicator("victims", "flow", null, "ok", "not ok")).Should().ContainKey("indicators[0].options[1].code");

    [Fact]
    public void TheLimitsHold()
    {
        Errors(Enumerable.Range(0, DataSet.MaxIndicators + 1).Select(i => Indicator($"i{i}")).ToArray()).Should().ContainKey("indicators");
        Errors(Indicator("b", "flow", null, Enumerable.Range(0, DataSet.MaxOptions + 1).Select(i => $"o{i}").ToArray())).Should().ContainKey("indicators[0].options");
        Errors(Indicator("a") with { Max = 0 }).Should().ContainKey("indicators[0].max");
    }

    [Fact]
    public void ALabelNeedsEnglishAndAPhraseItsPlaceholder()
    {
        Errors(Indicator("a") with { Label = new Dictionary<string, string> { ["fr"] = "Arrestations" } }).Should().ContainKey("indicators[0].label");
        Errors(Indicator("a") with { Phrase = new Dictionary<string, string> { ["en"] = "people were arrested" } }).Should().ContainKey("indicators[0].phrase");
        Errors(Indicator("a") with { Kind = "level" }).Should().ContainKey("indicators[0].kind");
        Errors([null]).Should().ContainKey("indicators[0]");
    }

    [Fact]
    public void TheTemplateKeepsTodaysCodesKindsAndRules()
    {
        var template = DataSetTemplates.TraffickingSmuggling;
        template.Find("arrestsTraffickingSmuggling")!.PartOf.Should().Be("arrests");
        template.Find("victimsMinors")!.PartOf.Should().Be("victimsSafeguarded");
        template.Find("victimsByExploitation")!.Options.Select(o => o.Code).Should().Equal("sexual", "forcedLabour", "forcedCriminality", "domesticServitude", "organRemoval", "other");
        template.Find("officersDeployed")!.Kind.Should().Be(IndicatorKind.Stock);
        template.Find("databaseChecks")!.Max.Should().Be(100_000_000);
        template.Indicators.Skip(8).Select(i => i.Code).Should().Equal("inspections", "flightsMonitored", "databaseChecks", "criminalGroupsDismantled", "forgedDocumentsSeized");
        DataSetTemplates.LegacyColumns.Select(c => c.Field).Should().Equal(template.Columns.Take(13).Select(c => c.Name), "the columns of the release before data sets, in order");
    }

    [Fact]
    public void AStoredDataSetReadsBackAsTheSame()
    {
        var json = DataSetJson.Serialize(DataSetTemplates.TraffickingSmuggling);
        DataSetJson.Serialize(DataSetJson.Deserialize(json)).Should().Be(json);
    }
}
