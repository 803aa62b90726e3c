using System.Text;
using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Core.Operations;
using Liberterra.Data;
using Liberterra.Web.Audit;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Liberterra.Web.Operations;

/// <summary>
/// /api/v1/operations: admins create, finalize and reopen operations; every reader gets them, their totals and every
/// roll-up of them. The policies are set on two groups, one for each.
/// </summary>
public static class OperationsApi
{
    public const string CsvContentType = "text/csv";

    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var operations = api.MapGroup("/operations").WithTags("Operations");

        var admin = operations.MapGroup(string.Empty).RequireAuthorization(Policies.Admin);
        admin.MapPost("/", CreateOperation).WithName("CreateOperation")
            .WithSummary("Create an operation (admin): code, name, startDate, endDate, participants (alpha-3 codes), and dataSet (a template's name) or indicators.")
            .WithWritePipeline<CreateOperationRequest>(RequestBody.DefinitionLimit, ["application/json"])
            .Produces<OperationDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{code}/finalize", (string code, HttpContext http, LiberterraDbContext db, WriteGate gate, AggregateCache cache, CancellationToken ct) =>
                SetStatusAsync(code, OperationStatus.Final, http, db, gate, cache, ct))
            .WithName("FinalizeOperation").WithSummary("Mark an operation final (admin): it takes no more returns until reopened.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{code}/reopen", (string code, HttpContext http, LiberterraDbContext db, WriteGate gate, AggregateCache cache, CancellationToken ct) =>
                SetStatusAsync(code, OperationStatus.Open, http, db, gate, cache, ct))
            .WithName("ReopenOperation").WithSummary("Reopen a final operation (admin) so it takes returns again.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var reads = operations.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        reads.MapGet("/", ListOperations).WithName("ListOperations").WithSummary("Every operation, newest first.");
        reads.MapGet("/{code}", GetOperation).WithName("GetOperation")
            .WithSummary("One operation with its participants and published reference figures.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{code}/totals", GetTotals).WithName("GetTotals")
            .WithSummary("Operation totals, one field per indicator of its data set. Null means no country reported it; a stock is each country's maximum, summed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{code}/regions", GetRegions).WithName("GetRegions")
            .WithSummary("Totals for each of the five regions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{code}/countries", GetCountries).WithName("GetCountries")
            .WithSummary("One row per country, optionally for one region (?region=Europe). Send Accept: text/csv for CSV.")
            .Produces<CountryListDto>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{code}/timeline", GetTimeline).WithName("GetTimeline")
            .WithSummary("One row per day of the window, plus whole-operation returns. Send Accept: text/csv for CSV.")
            .Produces<TimelineDto>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{code}/completeness", GetCompleteness).WithName("GetCompleteness")
            .WithSummary("Which participants have reported, when they last did, and which have not.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return operations;
    }

    private static async Task<Ok<List<OperationSummaryDto>>> ListOperations(OperationReader reader, CancellationToken cancellationToken)
    {
        var operations = await reader.ListAsync(cancellationToken);
        return TypedResults.Ok(operations.Select(OperationSummaryDto.From).ToList());
    }

    private static async Task<Results<Ok<OperationDto>, ProblemHttpResult>> GetOperation(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(OperationDto.From(aggregate.Operation)) : ApiProblems.OperationNotFound(code);

    private static async Task<Results<Ok<TotalsDto>, ProblemHttpResult>> GetTotals(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(TotalsDto.From(aggregate)) : ApiProblems.OperationNotFound(code);

    private static async Task<Results<Ok<RegionListDto>, ProblemHttpResult>> GetRegions(string code, AggregateCache cache, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return ApiProblems.OperationNotFound(code);
        }

        return TypedResults.Ok(new RegionListDto(
            code, aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate), aggregate.Regions.Select(RegionDto.From).ToList()));
    }

    private static async Task<Results<Ok<CountryListDto>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetCountries(
        string code, string? region, HttpRequest request, AggregateCache cache, CancellationToken cancellationToken)
    {
        if (!RegionFilter.TryParse(region, out var regionFilter))
        {
            return ApiProblems.UnknownRegion(region!);
        }

        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return ApiProblems.OperationNotFound(code);
        }

        var rows = aggregate.Countries.Where(c => regionFilter is null || c.Country.Region == regionFilter).ToList();
        if (WantsCsv(request))
        {
            var csv = new StringWriter();
            AggregateCsv.WriteCountries(aggregate.Operation.DataSet, rows, csv);
            return Csv(csv.ToString());
        }

        return TypedResults.Ok(new CountryListDto(
            code, aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate), rows.Select(CountryDto.From).ToList()));
    }

    private static async Task<Results<Ok<TimelineDto>, ContentHttpResult, ProblemHttpResult>> GetTimeline(
        string code, HttpRequest request, AggregateCache cache, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return ApiProblems.OperationNotFound(code);
        }

        if (WantsCsv(request))
        {
            var csv = new StringWriter();
            AggregateCsv.WriteTimeline(aggregate, csv);
            return Csv(csv.ToString());
        }

        return TypedResults.Ok(TimelineDto.From(aggregate));
    }

    private static async Task<Results<Ok<CompletenessDto>, ProblemHttpResult>> GetCompleteness(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(CompletenessDto.From(aggregate)) : ApiProblems.OperationNotFound(code);

    private static async Task<Results<Created<OperationDto>, ValidationProblem, ProblemHttpResult>> CreateOperation(
        WriteRequest<CreateOperationRequest> write, LiberterraDbContext db, WriteGate gate, AggregateCache cache, CancellationToken cancellationToken)
    {
        var (http, request) = (write.Http, write.Body);
        write.Audit.Operation = request.Code;
        var countries = await db.Countries.Select(c => c.Alpha3).ToListAsync(cancellationToken);
        var errors = request.Validate(countries.ToHashSet(StringComparer.Ordinal));
        if (errors.Count > 0)
        {
            return ReturnProblems.Invalid(http, errors);
        }

        if (await db.Operations.AnyAsync(o => o.Code == request.Code, cancellationToken))
        {
            return RequestBody.Problem(http, StatusCodes.Status409Conflict, "Operation exists", $"An operation with the code '{request.Code}' already exists.");
        }

        var record = request.ToRecord(DateTime.UtcNow);
        db.Operations.Add(record);
        try
        {
            await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), cancellationToken);
        }
        catch (DbUpdateException)
        {
            return RequestBody.Problem(http, StatusCodes.Status409Conflict, "Operation exists", $"An operation with the code '{request.Code}' already exists.");
        }

        // Nothing was cached under the new code, but pages that list every operation were, and this retires them.
        cache.Invalidate(record.Code);
        write.Audit.Outcome = "created";
        return TypedResults.Created($"/api/v1/operations/{record.Code}", OperationDto.From(record.ToDomain()));
    }

    private static async Task<Results<Ok<OperationDto>, ProblemHttpResult>> SetStatusAsync(
        string code, OperationStatus status, HttpContext http, LiberterraDbContext db, WriteGate gate, AggregateCache cache, CancellationToken cancellationToken)
    {
        var changed = await gate.RunAsync(
            () => db.Operations.Where(o => o.Code == code).ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, status)
                .SetProperty(o => o.Revision, o => o.Revision + 1), cancellationToken), cancellationToken);
        if (changed == 0)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        cache.Invalidate(code);
        WriteAudit.Attempt(http).Outcome = status == OperationStatus.Final ? "finalized" : "reopened";
        return await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(OperationDto.From(aggregate.Operation)) : ApiProblems.OperationNotFound(code);
    }

    /// <summary>
    /// CSV when the client prefers it: the highest quality value wins, q=0 means "not acceptable", and JSON wins ties.
    /// The response varies by Accept, so a shared cache keeps the two apart.
    /// </summary>
    private static bool WantsCsv(HttpRequest request)
    {
        request.HttpContext.Response.Headers.Vary = HeaderNames.Accept;
        double Quality(Func<MediaTypeHeaderValue, bool> matches) =>
            request.GetTypedHeaders().Accept.Where(matches).Select(accept => accept.Quality ?? 1.0).DefaultIfEmpty(0).Max();
        var csv = Quality(accept => accept.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase));
        var json = Quality(accept => accept.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || accept.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase) || accept.MediaType.Equals("*/*", StringComparison.Ordinal));
        return csv > 0 && csv > json;
    }

    private static ContentHttpResult Csv(string text) => TypedResults.Text(text, CsvContentType, Encoding.UTF8);
}
