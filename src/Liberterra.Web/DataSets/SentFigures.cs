using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Web.DataSets;

/// <summary>
/// A return's figures as a client sent them in JSON, kept until the operation, and so its data set, is known: each
/// field that is not one of the return's own is an indicator code, a breakdown is an object keyed by option code.
/// The elements must outlive this object: they belong to a document that is never returned to a pool.
/// </summary>
public sealed class SentFigures(IReadOnlyList<KeyValuePair<string, JsonElement>> fields)
{
    public static SentFigures None { get; } = new([]);

    /// <summary>The figures as values of the data set's columns, and an error for every field or option it does not have or cannot take.</summary>
    /// <remarks>A batch reads 10,000 of these in one request, so nothing is allocated for a row beyond its values unless it has a mistake.</remarks>
    public (ReturnValues Values, Dictionary<string, string[]> Errors) Read(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var values = new Dictionary<string, long>(fields.Count, StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, element) in fields)
        {
            if (dataSet.Find(name) is not { } indicator)
            {
                errors[name] = ["Unknown field: not one of the return's fields nor an indicator of this operation's data set (GET …/dataset lists them)."];
            }
            else if (element.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            else if (!indicator.IsBreakdown)
            {
                Read(element, name, indicator, values, errors);
            }
            else if (element.ValueKind != JsonValueKind.Object)
            {
                errors[name] = [$"A breakdown: send an object keyed by option ({Options(indicator)}), or null."];
            }
            else
            {
                ReadBreakdown(element, dataSet.ColumnsOf(indicator), indicator, values, errors);
            }
        }

        return (ReturnValues.FromReported(values), errors);
    }

    private static void ReadBreakdown(
        JsonElement element, IReadOnlyList<IndicatorColumn> columns, Indicator indicator, Dictionary<string, long> values, Dictionary<string, string[]> errors)
    {
        // Options seen so far, by position among the breakdown's columns (at most DataSet.MaxOptions, so one ulong holds
        // them); an unknown option is remembered by name, in a set made only when one is sent.
        var seen = 0UL;
        HashSet<string>? others = null;
        foreach (var option in element.EnumerateObject())
        {
            var position = IndexOf(columns, option.Name);
            var bit = position is >= 0 and < 64 ? 1UL << position : 0;
            var repeated = bit != 0 ? (seen & bit) != 0 : !(others ??= new(StringComparer.Ordinal)).Add(option.Name);
            seen |= bit;
            if (repeated)
            {
                errors[DataSet.ColumnName(indicator.Code, option.Name)] = ["This option appears more than once."];
            }
            else if (position < 0)
            {
                errors[DataSet.ColumnName(indicator.Code, option.Name)] = [$"Unknown option of {indicator.Code}; its options are {Options(indicator)}."];
            }
            else
            {
                Read(option.Value, columns[position].Name, indicator, values, errors);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<IndicatorColumn> columns, string option)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Option!.Code, option, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Options(Indicator indicator) => string.Join(", ", indicator.Options.Select(o => o.Code));

    private static void Read(JsonElement element, string column, Indicator indicator, Dictionary<string, long> values, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            values[column] = value;
        }
        else
        {
            errors[column] = [$"Must be a whole number from 0 to {indicator.Max:N0}, or null for not reported."];
        }
    }
}
