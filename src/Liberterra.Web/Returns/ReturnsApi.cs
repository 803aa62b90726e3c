using System.Globalization;
using System.Text.Json;
using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Audit;
using Liberterra.Web.Errors;
using Liberterra.Web.OpenApi;
using Liberterra.Web.Operations;
using Liberterra.Web.Security;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Returns;

/// <summary>
/// Returns of one operation: national units (and admins) post them, one at a time or in batches; every reader may
/// list them, and a national unit sees its own country's. Retries never count twice, amendments keep every version,
/// and every attempt is audited.
/// </summary>
public static class ReturnsApi
{
    private const string Json = "application/json";
    private const int MaxBatchRows = 10_000;

    public static RouteGroupBuilder MapReturnsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/operations/{code}/returns").WithTags("Returns");

        group.MapPost("/", SubmitReturn).WithName("SubmitReturn")
            .WithSummary("Submit or amend one country's return for one day, or for the whole operation (date null).")
            .WithDescription("201 on first receipt, 200 for an amendment (version + 1) or an identical resend (same version, nothing written). "
                + "Idempotency-Key replays the first response; If-Match with a stale ETag is refused with 412.")
            .RequireAuthorization(Policies.Write)
            .WithMetadata(new RequestBodyDoc(typeof(ReturnSubmission), [Json]))
            .Produces<ReturnDto>(StatusCodes.Status201Created)
            .Produces<ReturnDto>(StatusCodes.Status200OK)
            .WithWriteProblems();
        group.MapPost("/batch", SubmitBatch).WithName("SubmitReturnBatch")
            .WithSummary("Submit many returns as a JSON array or as CSV with the same field names. All-or-nothing unless atomic=false; dryRun=true writes nothing.")
            .RequireAuthorization(Policies.Write)
            .WithMetadata(new RequestBodyDoc(typeof(List<ReturnSubmission>), [Json, OperationsApi.CsvContentType]))
            .Produces<ImportSummaryDto>(StatusCodes.Status200OK)
            .WithWriteProblems();
        group.MapGet("/", ListReturns).WithName("ListReturns")
            .WithSummary("The current returns, optionally for one country (?country=ESP). A national unit sees only its own country's.")
            .RequireAuthorization(Policies.Read)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{country}/{period}", GetReturn).WithName("GetReturn")
            .WithSummary("One current return; period is a day (yyyy-MM-dd) or 'all'. The ETag is its version.")
            .RequireAuthorization(Policies.Read)
            .Produces<ReturnDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{country}/{period}/history", GetHistory).WithName("GetReturnHistory")
            .WithSummary("Every version of one return: who sent it (key id and label), when, and which fields changed.")
            .RequireAuthorization(Policies.Read)
            .Produces<ReturnHistoryDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
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

    private static async Task<IResult> SubmitReturn(
        string code, HttpContext http, LiberterraDbContext db, OperationDefinitions operations, ReturnCommitter committer, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var attempt = WriteAudit.Attempt(http);
        attempt.Operation = code;
        var (body, bodyProblem) = await RequestBody.ReadAsync(http.Request, RequestBody.ReturnLimit, [Json], cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (submission, jsonErrors) = StrictJson.Deserialize<ReturnSubmission>(body!.Bytes);
        if (jsonErrors is not null)
        {
            return ReturnProblems.Invalid(http, jsonErrors);
        }

        var (draft, draftErrors) = ReturnSubmissions.ToDraft(submission!);
        if (draftErrors is not null)
        {
            return ReturnProblems.Invalid(http, draftErrors);
        }

        attempt.Country = draft!.Country;
        attempt.Period = draft.Period.ToString();
        if (!http.User.MayAccessCountry(draft.Country))
        {
            return Problem(http, StatusCodes.Status403Forbidden, "Forbidden", $"This key may only write returns for {http.User.BoundCountry()}.");
        }

        if (!TryReadIfMatch(http.Request, out var ifMatch))
        {
            return Problem(http, StatusCodes.Status412PreconditionFailed, "Precondition failed", "If-Match must be \"*\" or ETags such as \"3\".");
        }

        if (!Idempotency.TryRead(http.Request, out var idempotencyKey))
        {
            return ReturnProblems.Invalid(http, new Dictionary<string, string[]> { [Idempotency.HeaderName] = ["Must be 1 to 200 visible ASCII characters."] });
        }

        if (await operations.FindAsync(db, code, cancellationToken) is not { } operation)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        // Validated here, outside the writer's turn; the errors are reported in the turn, after the checks that come
        // first (a replayed Idempotency-Key, a final operation), as they always were.
        var errors = ReturnValidator.Validate(operation.Rules, draft.Country, draft.Period, draft.Metrics, draft.Notes);
        var submitter = new Submitter(http.User.KeyId()!.Value, http.User.Identity!.Name!);
        return await committer.CommitAsync(new SingleReturnWrite(
            http, operation, idempotencyKey, Idempotency.Hash(http.Request, body.Bytes), draft, errors, ifMatch, submitter, json.Value.SerializerOptions));
    }

    private static async Task<IResult> SubmitBatch(
        string code, bool? dryRun, bool? atomic, HttpContext http, LiberterraDbContext db, OperationDefinitions operations, ReturnCommitter committer,
        IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var attempt = WriteAudit.Attempt(http);
        attempt.Operation = code;
        attempt.Period = "batch";
        var (body, bodyProblem) = await RequestBody.ReadAsync(http.Request, RequestBody.BatchLimit, [Json, OperationsApi.CsvContentType], cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (rows, parseErrors) = body!.MediaType == Json ? ParseJsonBatch(body.Bytes) : ParseCsvBatch(body.Bytes);
        if (parseErrors is not null)
        {
            return ReturnProblems.Invalid(http, parseErrors);
        }

        var foreign = rows!.Where(row => row.Draft is { } draft && !http.User.MayAccessCountry(draft.Country)).Select(row => row.Row).ToList();
        if (foreign.Count > 0)
        {
            return Problem(http, StatusCodes.Status403Forbidden, "Forbidden",
                $"This key may only write returns for {http.User.BoundCountry()}; rows {string.Join(", ", foreign.Take(20))} are for other countries.");
        }

        if (!Idempotency.TryRead(http.Request, out var idempotencyKey))
        {
            return ReturnProblems.Invalid(http, new Dictionary<string, string[]> { [Idempotency.HeaderName] = ["Must be 1 to 200 visible ASCII characters."] });
        }

        if (await operations.FindAsync(db, code, cancellationToken) is not { } operation)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        var submitter = new Submitter(http.User.KeyId()!.Value, http.User.Identity!.Name!);
        var batch = new BatchReturnWrite(
            http, operation, idempotencyKey, Idempotency.Hash(http.Request, body.Bytes), rows!, dryRun ?? false, atomic ?? true, submitter, json.Value.SerializerOptions);
        return batch.IsDryRun
            ? await ReturnCommitter.DryRunAsync(db, batch, cancellationToken)
            : await committer.CommitAsync(batch);
    }

    private static async Task<Results<Ok<ReturnListDto>, ValidationProblem, ProblemHttpResult>> ListReturns(
        string code, string? country, HttpContext http, LiberterraDbContext db, CancellationToken cancellationToken)
    {
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
            return OwnCountryOnly(http);
        }

        var operationId = await db.Operations.Where(o => o.Code == code).Select(o => (int?)o.Id).SingleOrDefaultAsync(cancellationToken);
        if (operationId is null)
        {
            return ReturnProblems.OperationNotFound(http, code);
        }

        var records = await db.Returns.AsNoTracking()
            .Where(r => r.OperationId == operationId && (filter == null || r.Country == filter))
            .OrderBy(r => r.Country).ThenBy(r => r.Period)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReturnListDto(code, records.Select(r => ReturnDto.From(code, r)).ToList()));
    }

    private static async Task<IResult> GetReturn(string code, string country, string period, HttpContext http, LiberterraDbContext db, CancellationToken cancellationToken)
    {
        var (record, problem) = await FindReturnAsync(code, country, period, http, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        http.Response.Headers.ETag = ReturnDto.ETagOf(record!.Version);
        return TypedResults.Ok(ReturnDto.From(code, record));
    }

    private static async Task<IResult> GetHistory(string code, string country, string period, HttpContext http, LiberterraDbContext db, CancellationToken cancellationToken)
    {
        var (record, problem) = await FindReturnAsync(code, country, period, http, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var versions = await db.ReturnVersions.AsNoTracking().Where(v => v.ReturnId == record!.Id).OrderBy(v => v.Version).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReturnHistoryDto(code, record!.Country, record.Period.ToString(), versions.Select(ReturnVersionDto.From).ToList()));
    }

    private static async Task<(ReturnRecord? Record, IResult? Problem)> FindReturnAsync(
        string code, string country, string period, HttpContext http, LiberterraDbContext db, CancellationToken cancellationToken)
    {
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
            return (null, OwnCountryOnly(http));
        }

        var operationId = await db.Operations.Where(o => o.Code == code).Select(o => (int?)o.Id).SingleOrDefaultAsync(cancellationToken);
        if (operationId is null)
        {
            return (null, ReturnProblems.OperationNotFound(http, code));
        }

        var record = await db.Returns.AsNoTracking().SingleOrDefaultAsync(r => r.OperationId == operationId && r.Country == country && r.Period == parsed, cancellationToken);
        return record is null
            ? (null, TypedResults.Problem(title: "Return not found", detail: $"{country} has no return for {parsed} in '{code}'.", statusCode: StatusCodes.Status404NotFound))
            : (record, null);
    }

    private static (List<BatchRow>? Rows, Dictionary<string, string[]>? Errors) ParseJsonBatch(byte[] bytes)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and only fails later, when they are read.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, new() { ["body"] = ["The JSON is not valid UTF-8."] });
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException exception)
        {
            return (null, new() { ["body"] = [$"Not valid JSON{(exception.LineNumber is { } line ? $" (line {line + 1})" : string.Empty)}."] });
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, new() { ["body"] = ["A JSON batch is an array of returns."] });
            }

            if (document.RootElement.GetArrayLength() > MaxBatchRows)
            {
                return (null, new() { ["body"] = [$"A batch holds at most {MaxBatchRows:N0} returns."] });
            }

            var rows = new List<BatchRow>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                var (submission, errors) = StrictJson.Deserialize<ReturnSubmission>(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
                rows.Add(submission is null
                    ? new BatchRow(index, null, errors!, null, null)
                    : ToRow(index, submission));
            }

            return (rows, null);
        }
    }

    private static (List<BatchRow>? Rows, Dictionary<string, string[]>? Errors) ParseCsvBatch(byte[] bytes)
    {
        IReadOnlyList<ReturnCsvRow> csvRows;
        try
        {
            csvRows = ReturnsCsv.Read(new StringReader(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes)));
        }
        catch (Exception exception) when (exception is FormatException or System.Text.DecoderFallbackException)
        {
            return (null, new() { ["body"] = [exception is FormatException ? exception.Message : "The CSV is not valid UTF-8."] });
        }

        if (csvRows.Count > MaxBatchRows)
        {
            return (null, new() { ["body"] = [$"A batch holds at most {MaxBatchRows:N0} returns."] });
        }

        return (csvRows.Select(row => row.Errors.Count > 0
            ? new BatchRow(row.Row, null, row.Errors, row.Country, row.DateText)
            : new BatchRow(row.Row, new ReturnDraft(row.Country, row.Period, row.Metrics, row.Notes), new Dictionary<string, string[]>(), row.Country, row.DateText)).ToList(), null);
    }

    private static BatchRow ToRow(int index, ReturnSubmission submission)
    {
        var (draft, errors) = ReturnSubmissions.ToDraft(submission);
        return new BatchRow(index, draft, errors ?? new Dictionary<string, string[]>(), submission.Country, submission.Date);
    }

    private static bool TryReadIfMatch(HttpRequest request, out Precondition? precondition)
    {
        precondition = null;
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return true;
        }

        var tags = header.SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (tags is ["*"])
        {
            precondition = new Precondition(true, new HashSet<int>());
            return true;
        }

        var versions = new HashSet<int>();
        foreach (var tag in tags)
        {
            var text = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
            if (text.Length < 3 || text[0] != '"' || text[^1] != '"'
                || !int.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }

            versions.Add(version);
        }

        precondition = new Precondition(false, versions);
        return versions.Count > 0;
    }

    private static ProblemHttpResult Problem(HttpContext http, int status, string title, string detail) => RequestBody.Problem(http, status, title, detail);

    private static ProblemHttpResult OwnCountryOnly(HttpContext http) =>
        TypedResults.Problem(title: "Forbidden", detail: $"This key may only read returns for {http.User.BoundCountry()}.", statusCode: StatusCodes.Status403Forbidden);

}
