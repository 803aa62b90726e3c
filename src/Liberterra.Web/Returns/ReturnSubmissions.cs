using Liberterra.Core.Countries;
using Liberterra.Core.Returns;
using Liberterra.Data;

namespace Liberterra.Web.Returns;

/// <summary>Turns a submitted return into a draft the writer can apply.</summary>
public static class ReturnSubmissions
{
    /// <summary>Turns a parsed submission into a draft, or explains what is wrong with its country and date.</summary>
    public static (ReturnDraft? Draft, Dictionary<string, string[]>? Errors) ToDraft(ReturnSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!CountryCode.TryNormalize(submission.Country, out var country))
        {
            errors["country"] = [CountryCode.Rule];
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
        return (new ReturnDraft(country, period, metrics, string.IsNullOrEmpty(submission.Notes) ? null : submission.Notes), null);
    }
}
