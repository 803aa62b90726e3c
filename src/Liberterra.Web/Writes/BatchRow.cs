using Liberterra.Core.Csv;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Web.Returns;

namespace Liberterra.Web.Writes;

/// <summary>
/// One row of a batch as parsed: where it belongs, or why that is unknown, its country and date as sent (for the
/// summary), and its figures, which are read once the operation's data set is known.
/// </summary>
public sealed record BatchRow(
    int Row,
    ReturnHeading? Heading,
    Func<DataSet, (ReturnValues Values, Dictionary<string, string[]> Errors)> ReadFigures,
    IReadOnlyDictionary<string, string[]> Errors,
    string? CountryText,
    string? DateText);

/// <summary>A parsed batch: its rows, and for CSV the file, whose header is checked against the data set before any row.</summary>
public sealed record ReturnBatch(IReadOnlyList<BatchRow> Rows, ReturnCsvFile? Csv);
