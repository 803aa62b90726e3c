using Microsoft.AspNetCore.Mvc;

namespace Liberterra.Web.Errors;

/// <summary>Lets a Razor Page answer a mistake with the very result the API gives for it (<see cref="ApiProblems"/>).</summary>
public sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
