namespace Liberterra.Core.Returns;

/// <summary>Which fields an amendment changes, by their API names, so the history can say what changed.</summary>
public static class ReturnChanges
{
    public const string NotesField = "notes";

    public static IReadOnlyList<string> Between(ReturnMetrics before, string? notesBefore, ReturnMetrics after, string? notesAfter)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = MetricCatalog.All.Where(metric => metric.Read(before) != metric.Read(after)).Select(metric => metric.Name).ToList();
        if (!string.Equals(notesBefore, notesAfter, StringComparison.Ordinal))
        {
            changed.Add(NotesField);
        }

        return changed;
    }

    /// <summary>Every reported field of a first version: all of them are new.</summary>
    public static IReadOnlyList<string> Initial(ReturnMetrics metrics, string? notes) =>
        Between(ReturnMetrics.NotReported, null, metrics, notes);
}
