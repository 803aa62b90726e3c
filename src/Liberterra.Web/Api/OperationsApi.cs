using System.Text;
using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Data;
using Liberterra.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Liberterra.Web.Api;

/// <summary>The read side of /api/v1/operations: operations, their totals and every roll-up of them.</summary>
public static class OperationsApi
{
    public const string CsvContentType = "text/csv";

    public static RouteGroupBuilder MapOperationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/operations").WithTags("Operations");

        group.MapGet("/", ListOperations).WithName("ListOperations").WithSummary("Every operation, newest first.");
        group.MapGet("/{code}", GetOperation).WithName("GetOperation")
            .WithSummary("One operation with its participants and published reference figures.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/totals", GetTotals).WithName("GetTotals")
            .WithSummary("Operation totals. Null means no country reported the metric; officers deployed is a stock (each country's maximum, summed).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/regions", GetRegions).WithName("GetRegions")
            .WithSummary("Totals for each of the five regions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/countries", GetCountries).WithName("GetCountries")
            .WithSummary("One row per country, optionally for one region (?region=Europe). Send Accept: text/csv for CSV.")
            .Produces<CountryListDto>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/timeline", GetTimeline).WithName("GetTimeline")
            .WithSummary("One row per day of the window, plus whole-operation returns. Send Accept: text/csv for CSV.")
            .Produces<TimelineDto>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/completeness", GetCompleteness).WithName("GetCompleteness")
            .WithSummary("Which participants have reported, when they last did, and which have not.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<List<OperationSummaryDto>>> ListOperations(OperationReader reader, CancellationToken cancellationToken)
    {
        var operations = await reader.ListAsync(cancellationToken);
        return TypedResults.Ok(operations.Select(OperationSummaryDto.From).ToList());
    }

    private static async Task<Results<Ok<OperationDto>, ProblemHttpResult>> GetOperation(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(OperationDto.From(aggregate.Operation)) : NotFound(code);

    private static async Task<Results<Ok<TotalsDto>, ProblemHttpResult>> GetTotals(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(TotalsDto.From(aggregate)) : NotFound(code);

    private static async Task<Results<Ok<RegionListDto>, ProblemHttpResult>> GetRegions(string code, AggregateCache cache, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return NotFound(code);
        }

        return TypedResults.Ok(new RegionListDto(
            code, aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate), aggregate.Regions.Select(RegionDto.From).ToList()));
    }

    private static async Task<Results<Ok<CountryListDto>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetCountries(
        string code, string? region, HttpRequest request, AggregateCache cache, CancellationToken cancellationToken)
    {
        Region? regionFilter = null;
        if (region is not null)
        {
            if (!RegionNames.TryParse(region, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["region"] = [$"'{region}' is not a region. Use one of: {string.Join(", ", RegionNames.All.Select(r => r.DisplayName()))}."],
                });
            }

            regionFilter = parsed;
        }

        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return NotFound(code);
        }

        var rows = aggregate.Countries.Where(c => regionFilter is null || c.Country.Region == regionFilter).ToList();
        if (WantsCsv(request))
        {
            var csv = new StringWriter();
            AggregateCsv.WriteCountries(rows, csv);
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
            return NotFound(code);
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
        await cache.GetAsync(code, cancellationToken) is { } aggregate ? TypedResults.Ok(CompletenessDto.From(aggregate)) : NotFound(code);

    private static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(title: "Operation not found", detail: $"No operation has the code '{code}'.", statusCode: StatusCodes.Status404NotFound);

    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase));

    private static ContentHttpResult Csv(string text) => TypedResults.Text(text, CsvContentType, Encoding.UTF8);
}
