using System.Text;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Web.Returns;

namespace Liberterra.Web.Tests;

public sealed class ReturnBatchParserTests
{
    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void AJsonArrayBecomesOneNumberedRowPerReturn()
    {
        var (parsed, errors) = ReturnBatchParser.Parse(
            Utf8("""[{"country":"esp","date":"2026-11-02","arrests":4},{"country":"FRA","date":null,"notes":"whole operation"}]"""), "application/json");

        errors.Should().BeNull();
        var rows = parsed!.Rows;
        rows.Select(r => r.Row).Should().Equal(1, 2);
        rows[0].Heading!.Country.Should().Be("ESP");
        rows[0].Heading!.Period.Should().Be(ReturnPeriod.Day(new DateOnly(2026, 11, 2)));
        rows[0].ReadFigures(Template).Values["arrests"].Should().Be(4);
        rows[0].CountryText.Should().Be("esp", "the summary names a row's country as it was sent");
        rows[1].Heading!.Period.IsWholeOperation.Should().BeTrue();
        rows[1].Heading!.Notes.Should().Be("whole operation");
        rows.Should().OnlyContain(r => r.Errors.Count == 0);
    }

    [Fact]
    public void AJsonRowThatIsWrongKeepsItsNumberAndErrorsAndTheOthersStillParse()
    {
        var (parsed, errors) = ReturnBatchParser.Parse(
            Utf8("""[{"country":"ESP","arests":1},{"country":"E5P","date":"2026-11-02"},{"country":"ITA","date":"2026-11-02"}]"""), "application/json");

        errors.Should().BeNull();
        var rows = parsed!.Rows;
        rows.Should().HaveCount(3);
        rows[0].Heading!.Country.Should().Be("ESP");
        rows[0].ReadFigures(Template).Errors.Should().ContainKey("arests").WhoseValue.Single().Should().Contain("Unknown field");
        rows[1].Heading.Should().BeNull();
        rows[1].Errors.Should().ContainKey("country");
        (rows[1].CountryText, rows[1].DateText).Should().Be(("E5P", "2026-11-02"));
        rows[2].Heading!.Country.Should().Be("ITA");
    }

    [Theory]
    [InlineData("""{"country":"ESP"}""", "A JSON batch is an array of returns.")]
    [InlineData("[{\"country\":\"ESP\"},\n{", "Not valid JSON (line 2).")]
    [InlineData("[[[[[[[[[[]]]]]]]]]]", "Not valid JSON (line 1).")]
    public void JsonThatIsNotABatchIsRefusedWhole(string json, string message)
    {
        var (rows, errors) = ReturnBatchParser.ParseJson(Utf8(json));

        rows.Should().BeNull();
        errors!["body"].Should().Equal(message);
    }

    [Fact]
    public void JsonThatIsNotUtf8IsRefusedWhole()
    {
        var (rows, errors) = ReturnBatchParser.ParseJson([(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']']);

        rows.Should().BeNull();
        errors!["body"].Should().Equal("The JSON is not valid UTF-8.");
    }

    [Fact]
    public void ABatchOfMoreThanTheMostRowsIsRefusedInEitherForm()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("{}", ReturnBatchParser.MaxRows + 1)) + "]";
        var csv = "country,date\n" + string.Concat(Enumerable.Repeat("ESP,2026-11-02\n", ReturnBatchParser.MaxRows + 1));

        ReturnBatchParser.Parse(Utf8(json), "application/json").Errors!["body"].Should().Equal("A batch holds at most 10,000 returns.");
        ReturnBatchParser.Parse(Utf8(csv), "text/csv").Errors!["body"].Should().Equal("A batch holds at most 10,000 returns.");
        ReturnBatchParser.ParseJson(Utf8("[" + string.Join(",", Enumerable.Repeat("{}", ReturnBatchParser.MaxRows)) + "]")).Batch!.Rows.Should().HaveCount(ReturnBatchParser.MaxRows);
    }

    [Fact]
    public void CsvRowsBecomeDraftsAndABadCountryIsThatRowsError()
    {
        var (parsed, errors) = ReturnBatchParser.Parse(Utf8("country,date,arrests,notes\r\nesp,2026-11-02,3,\"a, b\"\r\nSPAIN,2026-11-02,1,\r\nFRA,,,\r\n"), "text/csv");

        errors.Should().BeNull();
        var rows = parsed!.Rows;
        rows.Select(r => r.Row).Should().Equal(1, 2, 3);
        rows[0].Heading!.Country.Should().Be("ESP");
        rows[0].Heading!.Notes.Should().Be("a, b");
        rows[0].ReadFigures(Template).Values["arrests"].Should().Be(3);
        rows[1].Heading.Should().BeNull();
        rows[1].Errors["country"].Should().Equal(CountryCode.Rule);
        rows[1].CountryText.Should().Be("SPAIN");
        rows[2].Heading!.Period.IsWholeOperation.Should().BeTrue();
    }

    [Fact]
    public void CsvThatIsNotUtf8IsRefusedWholeAndAColumnTheDataSetLacksIsFoundBeforeAnyRow()
    {
        ReturnBatchParser.ParseCsv([(byte)'c', 0xFF, (byte)'\n']).Errors!["body"].Should().Equal("The CSV is not valid UTF-8.");
        ReturnBatchParser.ParseCsv(Utf8("country,date,arests\nESP,,1\n")).Batch!.Csv!.HeaderProblem(Template).Should().StartWith("Unknown column(s): arests.");
        ReturnBatchParser.ParseCsv(Utf8("country,date,arrests,victimsByExploitation.sexual\nESP,,1,2\n")).Batch!.Csv!.HeaderProblem(Template).Should().BeNull();
    }

    [Fact]
    public void ABreakdownSentAsANumberOrANumberSentAsAnObjectIsThatFieldsError()
    {
        var rows = ReturnBatchParser.ParseJson(Utf8("""[{"country":"ESP","victimsByExploitation":5,"arrests":{"a":1}},{"country":"ESP","victimsByExploitation":{"sexual":2,"nope":1}}]""")).Batch!.Rows;

        var first = rows[0].ReadFigures(Template).Errors;
        first["victimsByExploitation"].Single().Should().Contain("object keyed by option");
        first["arrests"].Single().Should().Contain("whole number");
        var (values, errors) = rows[1].ReadFigures(Template);
        errors.Keys.Should().Equal("victimsByExploitation.nope");
        values["victimsByExploitation.sexual"].Should().Be(2);
    }
}
