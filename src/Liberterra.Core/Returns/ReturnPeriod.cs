using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Liberterra.Core.Returns;

/// <summary>
/// The period a return covers: one day inside the operation's window, or the whole operation.
/// Its text form ("2025-11-10" or "all") is what the API routes and the database key use.
/// </summary>
public readonly record struct ReturnPeriod
{
    public const string WholeOperationKey = "all";
    private const string DateFormat = "yyyy-MM-dd";

    private ReturnPeriod(DateOnly? date) => Date = date;

    public static ReturnPeriod WholeOperation { get; } = new(null);

    /// <summary>The day, or null for a whole-operation return.</summary>
    public DateOnly? Date { get; }

    public bool IsWholeOperation => Date is null;

    public static ReturnPeriod Day(DateOnly date) => new(date);

    public static bool TryParse(string? text, out ReturnPeriod period)
    {
        period = WholeOperation;
        if (string.Equals(text, WholeOperationKey, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            period = Day(date);
            return true;
        }

        return false;
    }

    public static ReturnPeriod Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a day (yyyy-MM-dd) or '{WholeOperationKey}'.");

    [SuppressMessage("Design", "CA1062", Justification = "Value type.")]
    public override string ToString() =>
        Date?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? WholeOperationKey;
}
