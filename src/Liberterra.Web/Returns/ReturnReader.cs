using System.Security.Claims;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Returns;

/// <summary>Reads an operation's returns for the API, within what the caller may see: a national unit sees only its own country's.</summary>
public sealed class ReturnReader(LiberterraDbContext db)
{
    /// <summary>The current returns, for one country or all (a national unit's own by default), in country and period order.</summary>
    public async Task<Results<Ok<ReturnListDto>, ValidationProblem, ProblemHttpResult>> ListAsync(string code, string? country, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        string? filter;
        if (country is null)
        {
            filter = http.User.BoundCountry();
        }
        else if (CountryCode.TryNormalize(country, out var alpha3))
        {
            filter = alpha3;
        }
        else
        {
            return ApiProblems.BadCountryCode("country");
        }

        if (filter is not null && !http.User.MayAccessCountry(filter))
        {
            return OwnCountryOnly(http.User);
        }

        if (await OperationAsync(code, cancellationToken) is not { } operation)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        var records = await db.Returns.AsNoTracking()
            .Where(r => r.OperationId == operation.Id && (filter == null || r.Country == filter))
            .OrderBy(r => r.Country).ThenBy(r => r.Period)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReturnListDto(code, records.Select(r => ReturnDto.From(code, operation.DataSet, r)).ToList()));
    }

    /// <summary>One current return; <paramref name="period"/> is a day (yyyy-MM-dd) or "all".</summary>
    public async Task<Results<Ok<ReturnDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string code, string country, string period, HttpContext http, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync<ReturnDto>(code, country, period, http, cancellationToken);
        return refusal ?? TypedResults.Ok(ReturnDto.From(code, found!.Value.DataSet, found.Value.Record));
    }

    /// <summary>Every version of one return, oldest first.</summary>
    public async Task<Results<Ok<ReturnHistoryDto>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        string code, string country, string period, HttpContext http, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync<ReturnHistoryDto>(code, country, period, http, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (dataSet, record) = found!.Value;
        var versions = await db.ReturnVersions.AsNoTracking().Where(v => v.ReturnId == record.Id).OrderBy(v => v.Version).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReturnHistoryDto(code, record.Country, record.Period.ToString(), versions.Select(v => ReturnVersionDto.From(dataSet, v)).ToList()));
    }

    /// <summary>The return, or why the caller gets none, already typed as the endpoint's answer.</summary>
    private async Task<((DataSet DataSet, ReturnRecord Record)? Found, Results<Ok<T>, ValidationProblem, ProblemHttpResult>? Refusal)> FindAsync<T>(
        string code, string country, string period, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!CountryCode.TryNormalize(country, out country))
        {
            return (null, ApiProblems.BadCountryCode("country"));
        }

        if (!ReturnPeriod.TryParse(period, out var parsed))
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["period"] = ["Must be a day (yyyy-MM-dd) or 'all'."] }));
        }

        if (!http.User.MayAccessCountry(country))
        {
            return (null, OwnCountryOnly(http.User));
        }

        if (await OperationAsync(code, cancellationToken) is not { } operation)
        {
            return (null, ReturnProblems.OperationNotFound(http, code));
        }

        var record = await db.Returns.AsNoTracking().SingleOrDefaultAsync(r => r.OperationId == operation.Id && r.Country == country && r.Period == parsed, cancellationToken);
        return record is null
            ? (null, TypedResults.Problem(title: "Return not found", detail: $"{country} has no return for {parsed} in '{code}'.", statusCode: StatusCodes.Status404NotFound))
            : ((operation.DataSet, record), null);
    }

    /// <summary>The operation's id and data set, which names a return's fields; null for an unknown code.</summary>
    private async Task<(int Id, DataSet DataSet)?> OperationAsync(string code, CancellationToken cancellationToken)
    {
        var found = await db.Operations.Where(o => o.Code == code).Select(o => new { o.Id, o.DataSet }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Id, found.DataSet);
    }

    private static ProblemHttpResult OwnCountryOnly(ClaimsPrincipal user) =>
        TypedResults.Problem(title: "Forbidden", detail: $"This key may only read returns for {user.BoundCountry()}.", statusCode: StatusCodes.Status403Forbidden);
}
