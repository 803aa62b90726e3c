using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Data;

namespace Liberterra.Web.Returns;

/// <summary>Where a return belongs (its country and period) and its notes, read before the operation is known.</summary>
public sealed record ReturnHeading(string Country, ReturnPeriod Period, string? Notes)
{
    /// <summary>The draft the writer applies, with figures read against the operation's data set.</summary>
    public ReturnDraft Draft(ReturnValues values) => new(Country, Period, values, Notes);
}

/// <summary>Turns a submitted return into a draft the writer can apply.</summary>
public static class ReturnSubmissions
{
    /// <summary>The country and date of a submission, or what is wrong with them.</summary>
    public static (ReturnHeading? Heading, Dictionary<string, string[]>? Errors) Heading(ReturnSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!CountryCode.TryNormalize(submission.Country, out var country))
        {
            errors[ReturnSubmission.CountryField] = [CountryCode.Rule];
        }

        var period = ReturnPeriod.WholeOperation;
        if (submission.Date is not null && (!ReturnPeriod.TryParse(submission.Date, out period) || period.IsWholeOperation))
        {
            errors[ReturnSubmission.DateField] = ["Must be a day in the form yyyy-MM-dd, or null for a whole-operation return."];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ReturnHeading(country, period, string.IsNullOrEmpty(submission.Notes) ? null : submission.Notes), null);
    }

    /// <summary>
    /// The draft with its figures read against the operation's data set, and every error: the figures' own (an unknown
    /// field or option, a value that is not a whole number) and the validator's.
    /// </summary>
    public static (ReturnDraft Draft, IReadOnlyDictionary<string, string[]> Errors) Draft(
        ReturnHeading heading, ReturnSubmission submission, Liberterra.Core.Operations.Operation operation)
    {
        ArgumentNullException.ThrowIfNull(heading);
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(operation);
        var (values, errors) = submission.Figures.Read(operation.DataSet);
        var draft = heading.Draft(values);
        foreach (var (field, messages) in ReturnValidator.Validate(operation, draft.Country, draft.Period, draft.Values, draft.Notes))
        {
            errors.TryAdd(field, messages);
        }

        return (draft, errors);
    }
}
