using Liberterra.Core.DataSets;

namespace Liberterra.Core.Returns;

/// <summary>Which fields an amendment changes, by their API and CSV names, so the history can say what changed.</summary>
public static class ReturnChanges
{
    public const string NotesField = "notes";

    /// <summary>The changed columns in data-set order, then notes.</summary>
    public static IReadOnlyList<string> Between(DataSet dataSet, ReturnValues before, string? notesBefore, ReturnValues after, string? notesAfter)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = dataSet.Columns.Where(column => before[column.Name] != after[column.Name]).Select(column => column.Name).ToList();
        if (!string.Equals(notesBefore, notesAfter, StringComparison.Ordinal))
        {
            changed.Add(NotesField);
        }

        return changed;
    }

    /// <summary>Every reported field of a first version: all of them are new.</summary>
    public static IReadOnlyList<string> Initial(DataSet dataSet, ReturnValues values, string? notes) =>
        Between(dataSet, ReturnValues.NotReported, null, values, notes);
}
