using Liberterra.Core.Csv;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class CsvTests
{
    [Fact]
    public void QuotedFieldsKeepCommasQuotesAndLineBreaks()
    {
        var records = CsvText.Parse(new StringReader("a,\"b, \"\"quoted\"\"\nline\",c\r\nd,,f\n"));
        records.Should().HaveCount(2);
        records[0].Should().Equal("a", "b, \"quoted\"\nline", "c");
        records[1].Should().Equal("d", "", "f");
    }

    [Fact]
    public void WritingThenParsingGivesTheSameFields()
    {
        var writer = new StringWriter();
        CsvText.WriteRecord(writer, ["plain", "with,comma", "with \"quote\"", "multi\nline"]);
        CsvText.Parse(new StringReader(writer.ToString())).Single().Should().Equal("plain", "with,comma", "with \"quote\"", "multi\nline");
    }

    [Fact]
    public void AnUnclosedQuoteIsAFormatError() =>
        FluentActions.Invoking(() => CsvText.Parse(new StringReader("a,\"never closed\n"))).Should().Throw<FormatException>();

    [Fact]
    public void AnEmptyCellReadsAsNotReportedAndZeroAsZero()
    {
        var rows = ReturnsCsv.Read(new StringReader("country,date,arrests,victimsSafeguarded\nESP,2025-11-10,,0\n"));
        var row = rows.Single();
        row.Errors.Should().BeEmpty();
        row.Metrics.Arrests.Should().BeNull();
        row.Metrics.VictimsSafeguarded.Should().Be(0);
        row.Period.Should().Be(ReturnPeriod.Day(new DateOnly(2025, 11, 10)));
    }

    [Fact]
    public void AnEmptyDateIsAWholeOperationReturn() =>
        ReturnsCsv.Read(new StringReader("country,date,arrests\nesp,,4\n")).Single().Should()
            .Match<ReturnCsvRow>(row => row.Period.IsWholeOperation && row.Country == "ESP" && row.Metrics.Arrests == 4);

    [Fact]
    public void ANonNumericCellIsAnErrorOnItsRowNotAnException()
    {
        var row = ReturnsCsv.Read(new StringReader("country,date,arrests,victimsByExploitation.sexual\nESP,2025-11-10,12.5,x\n")).Single();
        row.Errors.Keys.Should().BeEquivalentTo("arrests", "victimsByExploitation.sexual");
    }

    [Fact]
    public void AnUnknownColumnIsRejectedSoATypoIsNotIgnored() =>
        FluentActions.Invoking(() => ReturnsCsv.Read(new StringReader("country,date,arest\nESP,2025-11-10,1\n")))
            .Should().Throw<FormatException>().WithMessage("*arest*");

    [Fact]
    public void TheHeaderNamesEveryMetricOnce() =>
        ReturnsCsv.Header.Should().OnlyHaveUniqueItems().And.HaveCount(MetricCatalog.All.Count + 3);
}
