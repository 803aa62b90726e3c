using Liberterra.Core.Csv;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Tests;

public sealed class CsvTests
{
    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

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
        using (var csv = CsvText.CreateWriter(writer))
        {
            csv.WriteRecord(["plain", "with,comma", "with \"quote\"", "multi\nline", ""]);
        }

        writer.ToString().Should().Be("plain,\"with,comma\",\"with \"\"quote\"\"\",\"multi\nline\",\n");
        CsvText.Parse(new StringReader(writer.ToString())).Single().Should().Equal("plain", "with,comma", "with \"quote\"", "multi\nline", "");
    }

    [Fact]
    public void AnUnclosedQuoteIsAFormatErrorNamingTheLineItsRecordStartsOn() =>
        FluentActions.Invoking(() => CsvText.Parse(new StringReader("a,b\nc,\"never\nclosed\n"))).Should().Throw<FormatException>()
            .WithMessage("The record that starts on line 2 has a quoted field that is never closed.");

    [Fact]
    public void TextAfterAClosingQuoteIsAFormatErrorSoAFieldIsNeverGuessed() =>
        FluentActions.Invoking(() => CsvText.Parse(new StringReader("a,b\n\"ESP\"x,1\n"))).Should().Throw<FormatException>()
            .WithMessage("Line 2: a closing quote must be followed by a comma or the end of the line.");

    [Fact]
    public void AQuoteInsideAnUnquotedFieldIsText() =>
        CsvText.Parse(new StringReader("a,5\" tall, \"x\"\n")).Single().Should().Equal("a", "5\" tall", " \"x\"");

    [Theory]
    [InlineData("a,b\n1,2\n")]
    [InlineData("a,b\r\n1,2\r\n")]
    [InlineData("a,b\r1,2\r")]
    [InlineData("\uFEFFa,b\n1,2")]
    public void LineEndingsAndAByteOrderMarkDoNotChangeTheFields(string text) =>
        CsvText.Parse(new StringReader(text)).Should().BeEquivalentTo(new[] { new[] { "a", "b" }, new[] { "1", "2" } }, options => options.WithStrictOrdering());

    [Fact]
    public void TheSeparatorIsAlwaysAComma() =>
        CsvText.Parse(new StringReader("a;b\n1;2\n")).Should().BeEquivalentTo(new[] { new[] { "a;b" }, new[] { "1;2" } }, options => options.WithStrictOrdering());

    [Fact]
    public void AnEmptyLineIsARecordSoRowNumbersMatchTheLines()
    {
        var rows = ReturnsCsv.Read(new StringReader("country,date,arrests\nESP,2025-11-10,1\n\nFRA,2025-11-10,2\n"), Template);
        rows.Select(row => (row.Row, row.Country)).Should().Equal((1, "ESP"), (2, ""), (3, "FRA"));
        rows[1].Errors.Keys.Should().Contain("country");
    }

    [Fact]
    public void AnEmptyCellReadsAsNotReportedAndZeroAsZero()
    {
        var rows = ReturnsCsv.Read(new StringReader("country,date,arrests,victimsSafeguarded\nESP,2025-11-10,,0\n"), Template);
        var row = rows.Single();
        row.Errors.Should().BeEmpty();
        row.Values["arrests"].Should().BeNull();
        row.Values["victimsSafeguarded"].Should().Be(0);
        row.Period.Should().Be(ReturnPeriod.Day(new DateOnly(2025, 11, 10)));
    }

    [Fact]
    public void AnEmptyDateIsAWholeOperationReturn() =>
        ReturnsCsv.Read(new StringReader("country,date,arrests\nesp,,4\n"), Template).Single().Should()
            .Match<ReturnCsvRow>(row => row.Period.IsWholeOperation && row.Country == "ESP" && row.Values["arrests"] == 4);

    [Fact]
    public void ANonNumericCellIsAnErrorOnItsRowNotAnException()
    {
        var row = ReturnsCsv.Read(new StringReader("country,date,arrests,victimsByExploitation.sexual\nESP,2025-11-10,12.5,x\n"), Template).Single();
        row.Errors.Keys.Should().BeEquivalentTo("arrests", "victimsByExploitation.sexual");
    }

    [Fact]
    public void AnUnknownColumnIsRejectedSoATypoIsNotIgnored() =>
        FluentActions.Invoking(() => ReturnsCsv.Read(new StringReader("country,date,arest\nESP,2025-11-10,1\n"), Template))
            .Should().Throw<FormatException>().WithMessage("*arest*");

    [Fact]
    public void TheHeaderNamesEveryColumnOnce() =>
        ReturnsCsv.Header(Template).Should().OnlyHaveUniqueItems().And.HaveCount(Template.Columns.Count + 3).And.Contain("victimsByExploitation.sexual");
}
