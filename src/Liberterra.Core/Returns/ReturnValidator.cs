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
        Operation operation, string country, ReturnPeriod period, ReturnMetrics metrics, string? notes)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(metrics);

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

        foreach (var metric in MetricCatalog.All)
        {
            if (metric.Read(metrics) is { } value && (value < 0 || value > MetricCatalog.MaxValue))
            {
                Add(metric.Name, $"Must be a whole number from 0 to {MetricCatalog.MaxValue:N0}; got {value}.");
            }
        }

        CheckSubtotal(metrics.ArrestsTraffickingSmuggling, MetricCatalog.ArrestsTraffickingSmuggling, metrics.Arrests, MetricCatalog.Arrests, Add);
        CheckSubtotal(metrics.VictimsMinors, MetricCatalog.VictimsMinors, metrics.VictimsSafeguarded, MetricCatalog.VictimsSafeguarded, Add);

        if (metrics.VictimsByExploitation.Sum() is { } breakdown)
        {
            if (metrics.VictimsSafeguarded is not { } victims)
            {
                Add("victimsByExploitation", "A breakdown by exploitation needs victimsSafeguarded to be reported too.");
            }
            else if (breakdown > victims)
            {
                Add("victimsByExploitation", $"The forms of exploitation add up to {breakdown}, more than the {victims} victims safeguarded.");
            }
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
    private static void CheckSubtotal(int? part, MetricDefinition partMetric, int? whole, MetricDefinition wholeMetric, Action<string, string> add)
    {
        if (part is not { } partValue)
        {
            return;
        }

        if (whole is not { } wholeValue)
        {
            add(partMetric.Name, $"{partMetric.Name} needs {wholeMetric.Name} to be reported too.");
        }
        else if (partValue > wholeValue)
        {
            add(partMetric.Name, $"{partMetric.Name} ({partValue}) cannot exceed {wholeMetric.Name} ({wholeValue}).");
        }
    }
}
