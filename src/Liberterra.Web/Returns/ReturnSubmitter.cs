using System.Security.Claims;
using Liberterra.Data;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Liberterra.Web.Returns;

/// <summary>
/// Submits returns that <see cref="WritePipeline"/> has read: settles what needs no turn (the draft, the caller's
/// country, If-Match, the Idempotency-Key, the operation and its rules), then hands the write to
/// <see cref="ReturnCommitter"/> for its turn. Refusals come in the order clients have always met them.
/// </summary>
public sealed class ReturnSubmitter(LiberterraDbContext db, OperationDefinitions operations, ReturnCommitter committer, IOptions<JsonOptions> json)
{
    /// <summary>One return: 400 (country, date), 403, 412 (If-Match), 400 (Idempotency-Key), 404, then its turn.</summary>
    public async Task<WriteResponse> SubmitAsync(string code, WriteRequest<ReturnSubmission> request, StringValues ifMatchHeader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.Http;
        var (heading, headingErrors) = ReturnSubmissions.Heading(request.Body);
        if (headingErrors is not null)
        {
            return ReturnProblems.Invalid(http, headingErrors);
        }

        request.Audit.Country = heading!.Country;
        request.Audit.Period = heading.Period.ToString();
        if (!http.User.MayAccessCountry(heading.Country))
        {
            return RequestBody.Problem(http, StatusCodes.Status403Forbidden, "Forbidden", $"This key may only write returns for {http.User.BoundCountry()}.");
        }

        if (!IfMatch.TryParse(ifMatchHeader, out var ifMatch))
        {
            return RequestBody.Problem(http, StatusCodes.Status412PreconditionFailed, "Precondition failed", "If-Match must be \"*\" or ETags such as \"3\".");
        }

        if (!request.IdempotencyKeyIsValid)
        {
            return request.RefuseIdempotencyKey();
        }

        if (await operations.FindAsync(db, code, cancellationToken) is not { } operation)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        // Validated here, outside the writer's turn; the errors are reported in the turn, after the checks that come
        // first (a replayed Idempotency-Key, a final operation), as they always were.
        var (draft, errors) = ReturnSubmissions.Draft(heading, request.Body, operation.Rules);
        return await committer.CommitAsync(new SingleReturnWrite(
            http, operation, request.IdempotencyKey, request.RequestHash, draft, errors, ifMatch, SubmitterOf(http.User), json.Value.SerializerOptions));
    }

    /// <summary>A batch: 403 (any row for another country), 400 (Idempotency-Key), 404, then its turn, or a dry run without one.</summary>
    public async Task<WriteResponse> SubmitBatchAsync(
        string code, WriteRequest<ReturnBatch> request, bool dryRun, bool atomic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.Http;
        var foreign = request.Body.Rows.Where(row => row.Heading is { } heading && !http.User.MayAccessCountry(heading.Country)).Select(row => row.Row).ToList();
        if (foreign.Count > 0)
        {
            return RequestBody.Problem(http, StatusCodes.Status403Forbidden, "Forbidden",
                $"This key may only write returns for {http.User.BoundCountry()}; rows {string.Join(", ", foreign.Take(20))} are for other countries.");
        }

        if (!request.IdempotencyKeyIsValid)
        {
            return request.RefuseIdempotencyKey();
        }

        if (await operations.FindAsync(db, code, cancellationToken) is not { } operation)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        // A CSV header is checked against the data set before any row: a column the operation does not collect is a
        // mistake in the whole file, not in each row.
        if (request.Body.Csv?.HeaderProblem(operation.Rules.DataSet) is { } headerProblem)
        {
            return ReturnProblems.Invalid(http, new Dictionary<string, string[]> { ["body"] = [headerProblem] });
        }

        var batch = new BatchReturnWrite(
            http, operation, request.IdempotencyKey, request.RequestHash, request.Body.Rows, dryRun, atomic, SubmitterOf(http.User), json.Value.SerializerOptions);
        return batch.IsDryRun
            ? await ReturnCommitter.DryRunAsync(db, operations, batch, cancellationToken)
            : await committer.CommitAsync(batch);
    }

    // Write endpoints require a key (Policies.Write), so the caller always has an id and a label.
    private static Submitter SubmitterOf(ClaimsPrincipal user) => new(user.KeyId()!.Value, user.Identity!.Name!);
}
