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

    public static IReadOnlyDictionary<string, string[]> Validate(
        Operation operation, string country, ReturnPeriod period, ReturnValues values, string? notes)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(values);

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (!operation.Participants.Contains(country))
        {
            Add("country", $"'{country}' does not take part in operation '{operation.Code}'.");
        }

        if (period.Date is { } date && !operation.Covers(date))
        {
            Add("date", $"{period} is outside the operation's window {operation.StartDate:yyyy-MM-dd} to {operation.EndDate:yyyy-MM-dd}.");
        }

        var dataSet = operation.DataSet;
        foreach (var (name, value) in values.Reported)
        {
            if (dataSet.Column(name) is not { } column)
            {
                Add(name, $"'{name}' is not an indicator of operation '{operation.Code}'.");
            }
            else if (value < 0 || value > column.Max)
            {
                Add(name, $"Must be a whole number from 0 to {column.Max:N0}; got {value}.");
            }
        }

        foreach (var part in dataSet.Indicators.Where(indicator => indicator.PartOf is not null))
        {
            CheckPart(dataSet, part, dataSet.Find(part.PartOf!)!, values, Add);
        }

        if (notes is { Length: > MaxNotesLength })
        {
            Add("notes", $"At most {MaxNotesLength} characters; got {notes.Length}.");
        }

        // Free text otherwise, but PostgreSQL cannot store a NUL, so neither database is given one.
        if (notes is not null && notes.Contains('\0', StringComparison.Ordinal))
        {
            Add("notes", "Must not contain the NUL character (U+0000).");
        }

        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    // A part without its whole cannot be checked or shared against anything, so it is refused rather than guessed at.
    private static void CheckPart(DataSet dataSet, Indicator part, Indicator whole, ReturnValues values, Action<string, string> add)
    {
        if (Total(dataSet, part, values) is not { } partValue)
        {
            return;
        }

        var wholeValue = values[whole.Code];
        if (part.IsBreakdown)
        {
            if (wholeValue is null)
            {
                add(part.Code, $"A breakdown of {part.Code} needs {whole.Code} to be reported too.");
            }
            else if (partValue > wholeValue)
            {
                add(part.Code, $"The options of {part.Code} add up to {partValue}, more than the {wholeValue} of {whole.Code}.");
            }
        }
        else if (wholeValue is null)
        {
            add(part.Code, $"{part.Code} needs {whole.Code} to be reported too.");
        }
        else if (partValue > wholeValue)
        {
            add(part.Code, $"{part.Code} ({partValue}) cannot exceed {whole.Code} ({wholeValue}).");
        }
    }

    /// <summary>An indicator's value in one return: its own, or for a breakdown the sum of its reported options; null when none is reported.</summary>
    public static long? Total(DataSet dataSet, Indicator indicator, ReturnValues values)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(values);
        long? total = null;
        foreach (var column in dataSet.ColumnsOf(indicator))
        {
            if (values[column.Name] is { } value)
            {
                total = (total ?? 0) + value;
            }
        }

        return total;
    }
}
