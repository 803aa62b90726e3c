using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Web.DataSets;

/// <summary>
/// A return's figures as a client sent them in JSON, kept until the operation, and so its data set, is known: each
/// field that is not one of the return's own is an indicator code, a breakdown is an object keyed by option code.
/// </summary>
public sealed class SentFigures(IReadOnlyDictionary<string, JsonElement> fields)
{
    public static SentFigures None { get; } = new(new Dictionary<string, JsonElement>());

    /// <summary>The figures as values of the data set's columns, and an error for every field or option it does not have or cannot take.</summary>
    public (ReturnValues Values, Dictionary<string, string[]> Errors) Read(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var values = new List<KeyValuePair<string, long?>>();
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
                errors[name] = [$"A breakdown: send an object keyed by option ({string.Join(", ", indicator.Options.Select(o => o.Code))}), or null."];
            }
            else
            {
                foreach (var option in element.EnumerateObject())
                {
                    var column = DataSet.ColumnName(name, option.Name);
                    if (dataSet.Column(column) is null)
                    {
                        errors[column] = [$"Unknown option of {name}; its options are {string.Join(", ", indicator.Options.Select(o => o.Code))}."];
                    }
                    else
                    {
                        Read(option.Value, column, indicator, values, errors);
                    }
                }
            }
        }

        return (ReturnValues.From(values), errors);
    }

    private static void Read(JsonElement element, string column, Indicator indicator, List<KeyValuePair<string, long?>> values, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            values.Add(KeyValuePair.Create(column, (long?)value));
        }
        else
        {
            errors[column] = [$"Must be a whole number from 0 to {indicator.Max:N0}, or null for not reported."];
        }
    }
}
