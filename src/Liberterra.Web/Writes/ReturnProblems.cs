using Liberterra.Web.Audit;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Liberterra.Web.Writes;

/// <summary>The refusals a write (a return, a batch, an operation created, finalized or reopened) can meet, each noted for the audit.</summary>
public static class ReturnProblems
{
    public static ValidationProblem Invalid(HttpContext http, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        WriteAudit.Reject(http, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return TypedResults.ValidationProblem(errors);
    }

    public static ProblemHttpResult OperationNotFound(HttpContext http, string code)
    {
        var problem = ApiProblems.OperationNotFound(code);
        WriteAudit.Reject(http, problem.ProblemDetails.Detail!);
        return problem;
    }
}
