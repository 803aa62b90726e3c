using Liberterra.Core.DataSets;

namespace Liberterra.Core.Returns;

/// <summary>Which fields an amendment changes, by their API and CSV names, so the history can say what changed.</summary>
public static class ReturnChanges
{
    public const string NotesField = "notes";

    /// <summary>The changed columns in data-set order, then notes.</summary>
    /// <remarks>
    /// Walks the reported values rather than every column: a data set may have thousands of columns while a return
    /// reports a few, and a batch compares 10,000 returns in one request.
    /// </remarks>
    public static IReadOnlyList<string> Between(DataSet dataSet, ReturnValues before, string? notesBefore, ReturnValues after, string? notesAfter)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = new List<(int Position, string Name)>();
        foreach (var (name, value) in before.Reported)
        {
            if (after[name] != value)
            {
                changed.Add((Position(dataSet, name), name));
            }
        }

        foreach (var (name, _) in after.Reported)
        {
            if (before[name] is null)
            {
                changed.Add((Position(dataSet, name), name));
            }
        }

        changed.Sort(static (a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : string.CompareOrdinal(a.Name, b.Name));
        var names = new List<string>(changed.Count + 1);
        foreach (var (_, name) in changed)
        {
            names.Add(name);
        }

        if (!string.Equals(notesBefore, notesAfter, StringComparison.Ordinal))
        {
            names.Add(NotesField);
        }

        return names;
    }

    // A stored value always names a column of its operation's data set (an indicator with data cannot be removed); one
    // that did not would still be listed, after the data set's own, rather than hidden from the history.
    private static int Position(DataSet dataSet, string name) => dataSet.Column(name)?.Index ?? int.MaxValue;

    /// <summary>Every reported field of a first version: all of them are new.</summary>
    public static IReadOnlyList<string> Initial(DataSet dataSet, ReturnValues values, string? notes) =>
        Between(dataSet, ReturnValues.NotReported, null, values, notes);
}
