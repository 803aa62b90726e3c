using System.Text.RegularExpressions;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Data;
using Liberterra.Data.Entities;

namespace Liberterra.Web.Operations;

/// <summary>A new operation: a URL-safe code, a name, an inclusive window of days, the participating countries, and what they report.</summary>
public sealed partial record CreateOperationRequest
{
    public const int MaxWindowDays = 366;

    /// <summary>Lower-case letters, digits and single hyphens, e.g. "liberterra-iv".</summary>
    public string? Code { get; init; }

    public string? Name { get; init; }
    public DateOnly? StartDate { get; init; }
    public DateOnly? EndDate { get; init; }

    /// <summary>ISO 3166-1 alpha-3 codes.</summary>
    public IReadOnlyList<string>? Participants { get; init; }

    /// <summary>The name of a data set template, "trafficking-smuggling" (the default when neither this nor indicators is sent).</summary>
    public string? DataSet { get; init; }

    /// <summary>The operation's own indicators, in order, instead of a template (see docs/data-sets.md).</summary>
    public IReadOnlyList<IndicatorDefinition?>? Indicators { get; init; }

    /// <summary>The data set the request asks for; set by <see cref="Validate"/> when it has no errors.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Liberterra.Core.DataSets.DataSet? ResolvedDataSet { get; private set; }

    public Dictionary<string, string[]> Validate(IReadOnlySet<string> knownCountries)
    {
        ArgumentNullException.ThrowIfNull(knownCountries);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Code is null || Code.Length > 64 || !CodePattern().IsMatch(Code))
        {
            errors["code"] = ["Required: up to 64 lower-case letters, digits and single hyphens, e.g. \"liberterra-iv\"."];
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200 || !DatabaseText.CanStore(Name))
        {
            errors["name"] = ["Required, at most 200 characters, and no NUL (U+0000)."];
        }

        if (StartDate is null)
        {
            errors["startDate"] = ["Required (yyyy-MM-dd)."];
        }

        if (EndDate is null)
        {
            errors["endDate"] = ["Required (yyyy-MM-dd)."];
        }
        else if (StartDate is { } start && (EndDate < start || EndDate.Value.DayNumber - start.DayNumber >= MaxWindowDays))
        {
            errors["endDate"] = [$"Must be on or after startDate, and the window at most {MaxWindowDays} days."];
        }

        if (Participants is not { Count: > 0 })
        {
            errors["participants"] = ["At least one participating country is required."];
        }
        else
        {
            var unknown = Participants.Where(code => !knownCountries.Contains(code)).Distinct().Take(10).ToList();
            var repeated = Participants.GroupBy(code => code).Where(g => g.Count() > 1).Select(g => g.Key).Take(10).ToList();
            var messages = new List<string>();
            if (unknown.Count > 0)
            {
                messages.Add($"Not ISO 3166-1 alpha-3 codes: {string.Join(", ", unknown)}.");
            }

            if (repeated.Count > 0)
            {
                messages.Add($"Listed more than once: {string.Join(", ", repeated)}.");
            }

            if (messages.Count > 0)
            {
                errors["participants"] = [.. messages];
            }
        }

        if (DataSet is not null && Indicators is not null)
        {
            errors["dataSet"] = ["Send either dataSet (a template's name) or indicators, not both."];
        }
        else if (Indicators is not null)
        {
            var (dataSet, definitionErrors) = DataSetDefinition.Build(Indicators);
            ResolvedDataSet = dataSet;
            foreach (var (field, messages) in definitionErrors)
            {
                errors[field] = messages;
            }
        }
        else if (DataSetTemplates.Named(DataSet ?? DataSetTemplates.TraffickingSmugglingName) is { } template)
        {
            ResolvedDataSet = template;
        }
        else
        {
            errors["dataSet"] = [$"No data set template is named that; the templates are {string.Join(", ", DataSetTemplates.Names.Select(name => $"\"{name}\""))}. Or send indicators."];
        }

        return errors;
    }

    public OperationRecord ToRecord(DateTime now) => new()
    {
        Code = Code!,
        Name = Name!.Trim(),
        StartDate = StartDate!.Value,
        EndDate = EndDate!.Value,
        Status = OperationStatus.Open,
        DataSet = ResolvedDataSet ?? throw new InvalidOperationException("Validate the request before making a record of it."),
        CreatedAt = now,
        Participants = Participants!.Select(code => new ParticipantRecord { Country = code }).ToList(),
    };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CodePattern();
}
