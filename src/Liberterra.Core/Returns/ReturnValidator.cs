using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;

namespace Liberterra.Core.Returns;

/// <summary>
/// The rules every return must pass before it is stored. Errors are keyed by the JSON field name
/// so the API can hand them straight back as per-field validation problems.
/// </summary>
public static class ReturnValidator
{
    public const int MaxNotesLength = 2000;

    /// <remarks>A batch validates 10,000 returns in one request, so a valid return allocates nothing here.</remarks>
    public static IReadOnlyDictionary<string, string[]> Validate(
        Operation operation, string country, ReturnPeriod period, ReturnValues values, string? notes)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(values);

        Dictionary<string, List<string>>? errors = null;
        if (!operation.Participants.Contains(country))
        {
            Add(ref errors, "country", $"'{country}' does not take part in operation '{operation.Code}'.");
        }

        if (period.Date is { } date && !operation.Covers(date))
        {
            Add(ref errors, "date", $"{period} is outside the operation's window {operation.StartDate:yyyy-MM-dd} to {operation.EndDate:yyyy-MM-dd}.");
        }

        var dataSet = operation.DataSet;
        foreach (var (name, value) in values.Reported)
        {
            if (dataSet.Column(name) is not { } column)
            {
                Add(ref errors, name, $"'{name}' is not an indicator of operation '{operation.Code}'.");
            }
            else if (value < 0 || value > column.Max)
            {
                Add(ref errors, name, $"Must be a whole number from 0 to {column.Max:N0}; got {value}.");
            }
        }

        foreach (var part in dataSet.Indicators)
        {
            if (part.PartOf is not null && PartProblem(dataSet, part, dataSet.Find(part.PartOf)!, values) is { } problem)
            {
                Add(ref errors, part.Code, problem);
            }
        }

        if (notes is { Length: > MaxNotesLength })
        {
            Add(ref errors, "notes", $"At most {MaxNotesLength} characters; got {notes.Length}.");
        }

        // Free text otherwise, but PostgreSQL cannot store a NUL, so neither database is given one.
        if (notes is not null && notes.Contains('\0', StringComparison.Ordinal))
        {
            Add(ref errors, "notes", "Must not contain the NUL character (U+0000).");
        }

        return errors is null ? None : errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>(StringComparer.Ordinal).AsReadOnly();

    private static void Add(ref Dictionary<string, List<string>>? errors, string field, string message)
    {
        errors ??= new(StringComparer.Ordinal);
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    // A part without its whole cannot be checked or shared against anything, so it is refused rather than guessed at.
    private static string? PartProblem(DataSet dataSet, Indicator part, Indicator whole, ReturnValues values)
    {
        if (Total(dataSet, part, values) is not { } partValue)
        {
            return null;
        }

        var wholeValue = values[whole.Code];
        if (part.IsBreakdown)
        {
            return wholeValue is null ? $"A breakdown of {part.Code} needs {whole.Code} to be reported too."
                : partValue > wholeValue ? $"The options of {part.Code} add up to {partValue}, more than the {wholeValue} of {whole.Code}."
                : null;
        }

        return wholeValue is null ? $"{part.Code} needs {whole.Code} to be reported too."
            : partValue > wholeValue ? $"{part.Code} ({partValue}) cannot exceed {whole.Code} ({wholeValue})."
            : null;
    }

    /// <summary>An indicator's value in one return: its own, or for a breakdown the sum of its reported options; null when none is reported.</summary>
    public static long? Total(DataSet dataSet, Indicator indicator, ReturnValues values)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(values);
        long? total = null;
        var columns = dataSet.ColumnsOf(indicator);
        for (var i = 0; i < columns.Count; i++)
        {
            if (values[columns[i].Name] is { } value)
            {
                total = (total ?? 0) + value;
            }
        }

        return total;
    }
}
