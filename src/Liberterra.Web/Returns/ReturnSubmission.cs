using Liberterra.Core.Returns;
using Liberterra.Data;

namespace Liberterra.Web.Returns;

/// <summary>A return as a client sends it. Every metric is optional: leave it out or send null for "not reported".</summary>
public sealed record ReturnSubmission
{
    /// <summary>ISO 3166-1 alpha-3 code.</summary>
    public string? Country { get; init; }

    /// <summary>A day (yyyy-MM-dd) inside the operation's window, or null for a whole-operation return.</summary>
    public string? Date { get; init; }

    public int? Arrests { get; init; }
    public int? ArrestsTraffickingSmuggling { get; init; }
    public int? VictimsSafeguarded { get; init; }
    public int? VictimsMinors { get; init; }
    public ExploitationBreakdown? VictimsByExploitation { get; init; }
    public int? IrregularMigrants { get; init; }
    public int? InvestigationsOpened { get; init; }
    public int? OfficersDeployed { get; init; }
    public string? Notes { get; init; }
}

/// <summary>Turns a submitted return into a draft the writer can apply.</summary>
public static class ReturnSubmissions
{
    /// <summary>Turns a parsed submission into a draft, or explains what is wrong with its country and date.</summary>
    public static (ReturnDraft? Draft, Dictionary<string, string[]>? Errors) ToDraft(ReturnSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var country = submission.Country?.Trim().ToUpperInvariant();
        if (country is not { Length: 3 } || !country.All(char.IsAsciiLetterUpper))
        {
            errors["country"] = ["Required: the country's ISO 3166-1 alpha-3 code, e.g. \"ESP\"."];
        }

        var period = ReturnPeriod.WholeOperation;
        if (submission.Date is not null && (!ReturnPeriod.TryParse(submission.Date, out period) || period.IsWholeOperation))
        {
            errors["date"] = ["Must be a day in the form yyyy-MM-dd, or null for a whole-operation return."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var metrics = new ReturnMetrics
        {
            Arrests = submission.Arrests,
            ArrestsTraffickingSmuggling = submission.ArrestsTraffickingSmuggling,
            VictimsSafeguarded = submission.VictimsSafeguarded,
            VictimsMinors = submission.VictimsMinors,
            VictimsByExploitation = submission.VictimsByExploitation ?? ExploitationBreakdown.NotReported,
            IrregularMigrants = submission.IrregularMigrants,
            InvestigationsOpened = submission.InvestigationsOpened,
            OfficersDeployed = submission.OfficersDeployed,
        };
        return (new ReturnDraft(country!, period, metrics, string.IsNullOrEmpty(submission.Notes) ? null : submission.Notes), null);
    }
}
