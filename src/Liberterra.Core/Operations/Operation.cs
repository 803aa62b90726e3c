using Liberterra.Core.DataSets;

namespace Liberterra.Core.Operations;

/// <summary>A coordinated operation: a window of days, the countries taking part, what they report (its data set), and any published figures.</summary>
public sealed record Operation(
    string Code,
    string Name,
    DateOnly StartDate,
    DateOnly EndDate,
    OperationStatus Status,
    IReadOnlySet<string> Participants,
    IReadOnlyList<PublishedFigure> PublishedFigures,
    string? AllocationNote,
    DataSet DataSet)
{
    public bool Covers(DateOnly date) => date >= StartDate && date <= EndDate;

    public IEnumerable<DateOnly> Days()
    {
        for (var day = StartDate; day <= EndDate; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
