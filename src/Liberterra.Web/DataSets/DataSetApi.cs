using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Audit;
using Liberterra.Web.Caching;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.DataSets;

/// <summary>An operation's data set: its indicators in order, each as it would be sent to define it.</summary>
public sealed record DataSetDto(string Operation, IReadOnlyList<IndicatorDefinition> Indicators)
{
    public static DataSetDto From(string operation, DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return new(operation, dataSet.Indicators.Select(IndicatorDefinition.From).ToList());
    }
}

/// <summary>
/// /api/v1/operations/{code}/dataset: every reader may read what an operation collects; an admin may add, change or
/// remove an indicator while the operation is open, as long as no return has a value for one being changed or removed.
/// A change raises the operation's revision, so every instance's cached roll-ups and write checks pick it up.
/// </summary>
public static class DataSetApi
{
    public static RouteGroupBuilder MapDataSetApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var dataSet = api.MapGroup("/operations/{code}/dataset").WithTags("Data sets");
        dataSet.MapGet("/", GetDataSet).WithName("GetDataSet")
            .RequireAuthorization(Policies.Read)
            .WithSummary("The operation's indicators, in order: code, label, kind, partOf, options and max.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = dataSet.MapGroup("/indicators").RequireAuthorization(Policies.Admin);
        admin.MapPost("/", PutIndicator).WithName("AddIndicator")
            .WithSummary("Add an indicator to an open operation (admin), or change one that no return has a value for. Existing returns read null for a new one.")
            .WithWritePipeline<IndicatorDefinition>(RequestBody.DefinitionLimit, ["application/json"])
            .Produces<DataSetDto>(StatusCodes.Status201Created)
            .Produces<DataSetDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{indicator}", RemoveIndicator).WithName("RemoveIndicator")
            .WithSummary("Remove an indicator that no return has a value for, from an open operation (admin).")
            .Produces<DataSetDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return dataSet;
    }

    private static async Task<Results<Ok<DataSetDto>, ProblemHttpResult>> GetDataSet(string code, AggregateCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(code, cancellationToken) is { } aggregate
            ? TypedResults.Ok(DataSetDto.From(code, aggregate.Operation.DataSet))
            : ApiProblems.OperationNotFound(code);

    private static async Task<Results<Created<DataSetDto>, Ok<DataSetDto>, ValidationProblem, ProblemHttpResult>> PutIndicator(
        string code, WriteRequest<IndicatorDefinition> write, LiberterraDbContext db, WriteGate gate, AggregateCache cache,
        OperationDefinitions definitions, CancellationToken cancellationToken)
    {
        var (http, definition) = (write.Http, write.Body);
        write.Audit.Operation = code;
        var outcome = await ChangeAsync(code, http, db, gate, cache, definitions, (record, current) =>
        {
            var list = current.Indicators.Select(IndicatorDefinition.From).Cast<IndicatorDefinition?>().ToList();
            var index = list.FindIndex(existing => existing!.Code == definition.Code);
            var replacing = index >= 0;
            if (replacing)
            {
                list[index] = definition;
            }
            else
            {
                index = list.Count;
                list.Add(definition);
            }

            var (dataSet, errors) = DataSetDefinition.Build(list);
            return dataSet is null
                ? Change.Invalid(ForTheIndicator(errors, index))
                : Change.To(dataSet, replacing ? "changed" : "added", mustHaveNoData: replacing ? current.Indicators[index] : null);
        }, cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => problem,
            { Invalid: { } invalid } => invalid,
            { Action: "added" } => TypedResults.Created($"/api/v1/operations/{code}/dataset", outcome.DataSet!),
            _ => TypedResults.Ok(outcome.DataSet!),
        };
    }

    private static async Task<Results<Ok<DataSetDto>, ValidationProblem, ProblemHttpResult>> RemoveIndicator(
        string code, string indicator, HttpContext http, LiberterraDbContext db, WriteGate gate, AggregateCache cache,
        OperationDefinitions definitions, CancellationToken cancellationToken)
    {
        WriteAudit.Attempt(http).Operation = code;
        var outcome = await ChangeAsync(code, http, db, gate, cache, definitions, (record, current) =>
        {
            if (current.Find(indicator) is not { } found)
            {
                return Change.Refuse(StatusCodes.Status404NotFound, "Indicator not found", $"'{indicator}' is not an indicator of '{code}'.");
            }

            var parts = current.PartsOf(found).Select(part => part.Code).ToList();
            if (parts.Count > 0)
            {
                return Change.Refuse(StatusCodes.Status409Conflict, "Indicator in use",
                    $"{string.Join(", ", parts)} {(parts.Count == 1 ? "is" : "are")} part of '{indicator}'; remove or change {(parts.Count == 1 ? "it" : "them")} first.");
            }

            return current.Indicators.Count == 1
                ? Change.Refuse(StatusCodes.Status409Conflict, "Indicator in use", "A data set keeps at least one indicator.")
                : Change.To(new DataSet(current.Indicators.Where(i => i != found).ToList()), "removed", mustHaveNoData: found);
        }, cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => problem,
            { Invalid: { } invalid } => invalid,
            _ => TypedResults.Ok(outcome.DataSet!),
        };
    }

    private sealed record Outcome(DataSetDto? DataSet, string? Action, ProblemHttpResult? Problem = null, ValidationProblem? Invalid = null);

    /// <summary>What a change asks for: a new data set (and an indicator that must have no data), errors, or a refusal.</summary>
    private sealed record Change(
        DataSet? DataSet, string? Action, Indicator? MustHaveNoData, Dictionary<string, string[]>? Errors, int Status, string? Title, string? Detail)
    {
        public static Change To(DataSet dataSet, string action, Indicator? mustHaveNoData) => new(dataSet, action, mustHaveNoData, null, 0, null, null);

        public static Change Invalid(Dictionary<string, string[]> errors) => new(null, null, null, errors, 0, null, null);

        public static Change Refuse(int status, string title, string detail) => new(null, null, null, null, status, title, detail);
    }

    /// <summary>
    /// One change, in its own transaction and write turn: the operation's row is locked first, so a return's write
    /// either commits before the check for data (and is seen by it) or meets the new data set in its own turn (and is
    /// refused, ReturnCommitter). <paramref name="change"/> says what the current data set becomes, or why it cannot.
    /// </summary>
    private static async Task<Outcome> ChangeAsync(
        string code, HttpContext http, LiberterraDbContext db, WriteGate gate, AggregateCache cache, OperationDefinitions definitions,
        Func<OperationRecord, DataSet, Change> change,
        CancellationToken cancellationToken)
    {
        var outcome = await gate.RunAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.OperationForChangeAsync(code, cancellationToken) is not { } record)
            {
                return new Outcome(null, null, ReturnProblems.OperationNotFound(http, code));
            }

            if (record.Status == OperationStatus.Final)
            {
                return new Outcome(null, null, RequestBody.Problem(http, StatusCodes.Status409Conflict, "Operation is final",
                    $"'{code}' is final; reopen it before changing its data set."));
            }

            var (dataSet, action, mustHaveNoData, errors, status, title, detail) = change(record, record.DataSet);
            if (errors is not null)
            {
                return new Outcome(null, null, Invalid: ReturnProblems.Invalid(http, errors));
            }

            if (dataSet is null)
            {
                return new Outcome(null, null, RequestBody.Problem(http, status, title!, detail!));
            }

            if (mustHaveNoData is not null && await db.HasDataAsync(record.Id, mustHaveNoData.Code, cancellationToken))
            {
                return new Outcome(null, null, RequestBody.Problem(http, StatusCodes.Status409Conflict, "Indicator has data",
                    $"Returns of '{code}' hold values for '{mustHaveNoData.Code}', so it can be neither changed nor removed. Every version is kept, so they always will."));
            }

            record.DataSet = dataSet;
            record.Revision++;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new Outcome(DataSetDto.From(code, dataSet), action);
        }, cancellationToken);

        if (outcome.DataSet is not null)
        {
            definitions.Forget(code);
            cache.Invalidate(code);
            WriteAudit.Attempt(http).Outcome = outcome.Action;
        }

        return outcome;
    }

    /// <summary>The definition's errors under the request's own field names ("partOf"), the others as they are.</summary>
    private static Dictionary<string, string[]> ForTheIndicator(Dictionary<string, string[]> errors, int index)
    {
        var prefix = $"indicators[{index}]";
        return errors.ToDictionary(
            error => error.Key == prefix ? "body" : error.Key.StartsWith(prefix + ".", StringComparison.Ordinal) ? error.Key[(prefix.Length + 1)..] : error.Key,
            error => error.Value,
            StringComparer.Ordinal);
    }
}
