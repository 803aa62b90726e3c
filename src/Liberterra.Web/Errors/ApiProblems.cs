using Liberterra.Core.Countries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Liberterra.Web.Errors;

/// <summary>
/// The mistakes a client can make on many routes, each with one answer wherever it is made: the API, the dashboard's
/// pages and its exports (OneProblemPerMistakeTests walks every route to keep it so). Writes note the refusal for the
/// audit through <see cref="Writes.ReturnProblems"/>.
/// </summary>
public static class ApiProblems
{
    /// <summary>404: no operation has this code.</summary>
    public static ProblemHttpResult OperationNotFound(string code) =>
        TypedResults.Problem(title: "Operation not found", detail: $"No operation has the code '{code}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>400 naming the field "region": the text names none of the five regions (<see cref="RegionFilter"/>).</summary>
    public static ValidationProblem UnknownRegion(string text) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = [RegionFilter.Rule(text)] });

    /// <summary>400 naming the field that holds a malformed country code (<see cref="CountryCode"/>).</summary>
    public static ValidationProblem BadCountryCode(string field) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [CountryCode.Rule] });
}
