using Liberterra.Web.OpenApi;
using Liberterra.Web.Operations;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Liberterra.Web.Returns;

/// <summary>
/// Returns of one operation: national units (and admins) post them, one at a time or in batches; every reader may
/// list them, and a national unit sees its own country's. Retries never count twice, amendments keep every version,
/// and every attempt is audited. The handlers read their input and call <see cref="ReturnSubmitter"/> or
/// <see cref="ReturnReader"/>; the body, the Idempotency-Key and the audit entry come from <see cref="WritePipeline"/>.
/// </summary>
public static class ReturnsApi
{
    private const string Json = "application/json";

    private static readonly HeaderDoc IdempotencyKeyDoc = new(Idempotency.HeaderName,
        "1 to 200 visible ASCII characters. A retry with the same key and the same request gets the first response again and writes nothing; with a different request, 422.");

    private static readonly HeaderDoc IfMatchDoc = new("If-Match",
        "\"*\" or the ETags of versions the amendment is based on, such as \"3\"; when the current version is not among them, 412 and nothing is written.");

    private static readonly HeaderDoc ETagDoc = new("ETag", "The return's version, quoted, such as \"3\": send it back in If-Match to amend safely.", IsResponse: true);

    private static readonly HeaderDoc ReplayedDoc = new(Idempotency.ReplayedHeader, "\"true\" when this is the stored first response to an earlier request with the same Idempotency-Key.", IsResponse: true);

    public static RouteGroupBuilder MapReturnsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var returns = api.MapGroup("/operations/{code}/returns").WithTags("Returns");

        var writes = returns.MapGroup(string.Empty).RequireAuthorization(Policies.Write);
        writes.MapPost("/", SubmitReturn).WithName("SubmitReturn")
            .WithSummary("Submit or amend one country's return for one day, or for the whole operation (date null).")
            .WithDescription("201 on first receipt, 200 for an amendment (version + 1) or an identical resend (same version, nothing written). "
                + "Idempotency-Key replays the first response; If-Match with a stale ETag is refused with 412.")
            .WithWritePipeline<ReturnSubmission>(RequestBody.ReturnLimit, [Json], (bytes, _) => ReturnSubmission.Parse(bytes), documentedAs: typeof(ReturnSubmissionDoc))
            .WithMetadata(IdempotencyKeyDoc, IfMatchDoc, ETagDoc, ReplayedDoc)
            .Produces<ReturnDto>(StatusCodes.Status201Created)
            .Produces<ReturnDto>(StatusCodes.Status200OK)
            .WithWriteProblems();
        writes.MapPost("/batch", SubmitBatch).WithName("SubmitReturnBatch")
            .WithSummary("Submit many returns as a JSON array or as CSV with the same field names. All-or-nothing unless atomic=false; dryRun=true writes nothing.")
            .WithWritePipeline<ReturnBatch>(RequestBody.BatchLimit, [Json, OperationsApi.CsvContentType],
                ReturnBatchParser.Parse, documentedAs: typeof(List<ReturnSubmissionDoc>), auditPeriod: "batch")
            .WithMetadata(IdempotencyKeyDoc, ReplayedDoc)
            .Produces<ImportSummaryDto>(StatusCodes.Status200OK)
            .WithWriteProblems();

        var reads = returns.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        reads.MapGet("/", ListReturns).WithName("ListReturns")
            .WithSummary("The current returns, optionally for one country (?country=ESP). A national unit sees only its own country's.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{country}/{period}", GetReturn).WithName("GetReturn")
            .WithSummary("One current return; period is a day (yyyy-MM-dd) or 'all'. The ETag is its version.")
            .WithMetadata(ETagDoc)
            .Produces<ReturnDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/{country}/{period}/history", GetHistory).WithName("GetReturnHistory")
            .WithSummary("Every version of one return: who sent it (key id and label), when, and which fields changed.")
            .Produces<ReturnHistoryDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return returns;
    }

    private static RouteHandlerBuilder WithWriteProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static Task<WriteResponse> SubmitReturn(
        string code, WriteRequest<ReturnSubmission> request, HttpRequest http, ReturnSubmitter submitter, CancellationToken cancellationToken) =>
        submitter.SubmitAsync(code, request, http.Headers.IfMatch, cancellationToken);

    private static Task<WriteResponse> SubmitBatch(
        string code, bool? dryRun, bool? atomic, WriteRequest<ReturnBatch> request, ReturnSubmitter submitter, CancellationToken cancellationToken) =>
        submitter.SubmitBatchAsync(code, request, dryRun ?? false, atomic ?? true, cancellationToken);

    private static Task<Results<Ok<ReturnListDto>, ValidationProblem, ProblemHttpResult>> ListReturns(
        string code, string? country, HttpContext http, ReturnReader reader, CancellationToken cancellationToken) =>
        reader.ListAsync(code, country, http, cancellationToken);

    private static async Task<Results<Ok<ReturnDto>, ValidationProblem, ProblemHttpResult>> GetReturn(
        string code, string country, string period, HttpContext http, ReturnReader reader, CancellationToken cancellationToken)
    {
        var result = await reader.GetAsync(code, country, period, http, cancellationToken);
        if (result.Result is Ok<ReturnDto> { Value: { } found })
        {
            http.Response.Headers.ETag = ReturnDto.ETagOf(found.Version);
        }

        return result;
    }

    private static Task<Results<Ok<ReturnHistoryDto>, ValidationProblem, ProblemHttpResult>> GetHistory(
        string code, string country, string period, HttpContext http, ReturnReader reader, CancellationToken cancellationToken) =>
        reader.HistoryAsync(code, country, period, http, cancellationToken);
}
