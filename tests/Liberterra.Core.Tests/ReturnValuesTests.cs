using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

/// <summary>The stored form of a return's figures, written by hand for speed: it must be exactly what a serializer writes.</summary>
public sealed class ReturnValuesTests
{
    public static TheoryData<long> Numbers => new() { 0, 7, 9, 10, 99, 100, 999_999, 1_000_000, 100_000_000, long.MaxValue, -1, -10, long.MinValue };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void AValueIsWrittenAsTheSerializerWritesItAndReadBack(long value)
    {
        var values = ReturnValues.Of(("arrests", value), ("victimsByExploitation.sexual", 3));

        var json = values.ToJson();

        json.Should().Be(JsonSerializer.Serialize(new SortedDictionary<string, long>(StringComparer.Ordinal) { ["arrests"] = value, ["victimsByExploitation.sexual"] = 3 }));
        ReturnValues.FromJson(json).Should().Be(values);
    }

    [Fact]
    public void NamesAreInOrdinalOrderAndNothingReportedIsAnEmptyObject()
    {
        ReturnValues.Of(("b", 2), ("a.z", 1), ("B", 3), ("a", 0)).ToJson().Should().Be("""{"B":3,"a":0,"a.z":1,"b":2}""");
        ReturnValues.NotReported.ToJson().Should().Be("{}");
        ReturnValues.Of(("arrests", null)).ToJson().Should().Be("{}");
    }

    [Fact]
    public void ANameThatJsonMustEscapeIsEscaped()
    {
        var values = ReturnValues.Of(("quote\"d", 1), ("é", 2), ("plain", 3));

        var json = values.ToJson();

        json.Should().Be(JsonSerializer.Serialize(new SortedDictionary<string, long>(StringComparer.Ordinal) { ["quote\"d"] = 1, ["é"] = 2, ["plain"] = 3 }));
        ReturnValues.FromJson(json).Should().Be(values);
    }

    [Fact]
    public void EveryColumnOfTheTemplateRoundTrips()
    {
        var columns = DataSetTemplates.TraffickingSmuggling.Columns;
        var values = ReturnValues.From(columns.Select((column, i) => KeyValuePair.Create(column.Name, (long?)(i * 1_234_567L))));

        ReturnValues.FromJson(values.ToJson()).Should().Be(values);
        JsonDocument.Parse(values.ToJson()).RootElement.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(columns.Select(c => c.Name));
    }
}
