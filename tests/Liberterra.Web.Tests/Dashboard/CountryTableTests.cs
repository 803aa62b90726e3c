using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;
using Liberterra.Web.Dashboard;

namespace Liberterra.Web.Tests;

/// <summary>The country table's query-string sorting and filtering, without the page around it.</summary>
public sealed class CountryTableTests
{
    private static readonly Dictionary<string, Country> Countries = new()
    {
        ["CZE"] = new("CZ", "CZE", "Czechia", Region.Europe),
        ["CIV"] = new("CI", "CIV", "Côte d'Ivoire", Region.Africa),
        ["COL"] = new("CO", "COL", "Colombia", Region.Americas),
    };

    private static readonly DataSet Template = DataSetTemplates.TraffickingSmuggling;

    private static readonly IReadOnlyList<TableColumn> Columns = CountryTable.ColumnsFor(Template);

    private static readonly IReadOnlyList<CountryAggregate> Rows = ReturnAggregator.Aggregate(
        new Operation("op", "Op", new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 12), OperationStatus.Open, Countries.Keys.ToHashSet(), [], null, Template),
        Countries,
        [
            new CountryReturn("CZE", ReturnPeriod.WholeOperation, ReturnValues.Of(("arrests", 0)), null, 1, DateTime.UtcNow, false),
            new CountryReturn("COL", ReturnPeriod.WholeOperation, ReturnValues.Of(("arrests", 9)), null, 1, DateTime.UtcNow, false),
        ]).Countries;

    private static IEnumerable<string> Codes(string? sort, string? dir, Region? region = null, string? q = null) =>
        CountryTable.Apply(Rows, CountryTableQuery.Parse(Columns, sort, dir, region, q)).Select(r => r.Country.Alpha3);

    [Fact]
    public void TheColumnsFollowTheDataSet()
    {
        Columns.Select(c => c.Key).Should().Equal(
            ["name", "region", .. Template.Indicators.Where(i => !i.IsBreakdown).Select(i => i.Code), "lastUpdated"],
            "every indicator with one figure, in data-set order; a breakdown has its own chart");
        Columns.Single(c => c.Key == "officersDeployed").Heading.Should().Be("Officers deployed", "headings are the data set's labels");
        Columns.Where(c => c.Indicator is not null).Should().OnlyContain(c => c.Numeric);
    }

    [Fact]
    public void NamesSortAsAReaderExpects() => Codes(null, null).Should().Equal("COL", "CIV", "CZE");

    [Fact]
    public void BlanksSortLastInBothDirections()
    {
        Codes("arrests", "desc").Should().Equal("COL", "CZE", "CIV");
        Codes("arrests", "asc").Should().Equal("CZE", "COL", "CIV");
    }

    [Fact]
    public void NumericColumnsStartDescending() => CountryTableQuery.Parse(Columns, "arrests", null, null, null).Descending.Should().BeTrue();

    [Fact]
    public void FiltersByRegionNameOrExactCode()
    {
        Codes(null, null, region: Region.Africa).Should().Equal("CIV");
        Codes(null, null, q: "cote").Should().Equal(["CIV"], "accents are optional in a search");
        Codes(null, null, q: "cze").Should().Equal("CZE");
        Codes(null, null, q: "zec").Should().Equal(["CZE"], "part of a name matches");
        Codes(null, null, q: "ze").Should().Equal(["CZE"], "part of a code does not: only the name 'Czechia' contains it");
    }

    [Fact]
    public void UnknownSortValuesFallBackToTheDefaults()
    {
        var query = CountryTableQuery.Parse(Columns, "'; drop table", "sideways", null, new string('x', 500));
        query.Sort.Key.Should().Be("name");
        query.Descending.Should().BeFalse();
        query.Search.Should().HaveLength(100);
    }
}
