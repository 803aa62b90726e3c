using System.Text.Json;
using Liberterra.Data;
using Liberterra.Web.Audit;
using Liberterra.Web.Returns;

namespace Liberterra.Web.Writes;

/// <summary>One country's return for one period (POST …/returns), with If-Match, validated before its turn.</summary>
public sealed class SingleReturnWrite(
    HttpContext http, OperationDefinition operation, string? idempotencyKey, string requestHash,
    ReturnDraft draft, IReadOnlyDictionary<string, string[]> errors, Precondition? ifMatch, Submitter submitter, JsonSerializerOptions json)
    : PreparedWrite(http, operation, idempotencyKey, requestHash)
{
    public override bool IsBatch => false;

    public override IReadOnlyCollection<ReturnDraft> Drafts => errors.Count == 0 ? [draft] : [];

    internal override Decision Decide(ReturnWriter writer, ReturnState state, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (errors.Count > 0)
        {
            return new Decision(ReturnProblems.Invalid(Http, errors));
        }

        var result = writer.Write(state, draft, submitter, ifMatch, now);
        if (result.Status == WriteStatus.GranularityConflict)
        {
            return new Decision(RequestBody.Problem(Http, StatusCodes.Status409Conflict, "Granularity conflict", result.Reason!));
        }

        if (result.Status == WriteStatus.VersionMismatch)
        {
            return new Decision(RequestBody.Problem(Http, StatusCodes.Status412PreconditionFailed, "Precondition failed", result.Reason!));
        }

        var written = result.Return!;
        WriteAudit.Attempt(Http).Outcome = result.Status.ToString().ToLowerInvariant();

        // The response is stored before the save, and a new return has no id until then; no response shows it.
        var response = new StoredResponse(
            result.Status == WriteStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            JsonSerializer.Serialize(ReturnDto.From(Code, Operation.Rules.DataSet, written), json),
            ReturnDto.LocationOf(Code, written),
            ReturnDto.ETagOf(written.Version));
        return new Decision(response, response, result.IsChange ? [draft.Country] : []);
    }
}
