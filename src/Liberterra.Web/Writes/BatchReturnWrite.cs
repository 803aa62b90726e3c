using System.Globalization;
using System.Text.Json;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Web.Audit;
using Liberterra.Web.Returns;

namespace Liberterra.Web.Writes;

/// <summary>
/// A batch of returns (POST …/returns/batch), every row validated before its turn; in the turn, each valid row is written
/// against the current returns and the batch is kept whole, or, with atomic=false, only its valid rows.
/// </summary>
public sealed class BatchReturnWrite : PreparedWrite
{
    private readonly IReadOnlyList<BatchRow> rows;
    private readonly ReturnDraft?[] rowDrafts;
    private readonly IReadOnlyList<string>[] messages;
    private readonly List<ReturnDraft> drafts = [];
    private readonly bool dryRun;
    private readonly bool atomic;
    private readonly Submitter submitter;
    private readonly JsonSerializerOptions json;

    public BatchReturnWrite(
        HttpContext http, OperationDefinition operation, string? idempotencyKey, string requestHash,
        IReadOnlyList<BatchRow> rows, bool dryRun, bool atomic, Submitter submitter, JsonSerializerOptions json)
        : base(http, operation, idempotencyKey, requestHash)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(rows);
        (this.rows, this.dryRun, this.atomic, this.submitter, this.json) = (rows, dryRun, atomic, submitter, json);

        // Everything about a row that does not depend on the stored returns is settled here, outside the turn. A batch
        // holds up to 10,000 rows, so a valid row allocates no list of messages.
        messages = new IReadOnlyList<string>[rows.Count];
        rowDrafts = new ReturnDraft?[rows.Count];
        var seen = new HashSet<(string, ReturnPeriod)>();
        var dataSet = operation.Rules.DataSet;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            List<string>? found = null;
            AddMessages(ref found, row.Errors, null);
            var (values, figureErrors) = row.ReadFigures(dataSet);
            AddMessages(ref found, figureErrors, null);
            if (row.Heading is { } heading)
            {
                var draft = rowDrafts[i] = heading.Draft(values);
                AddMessages(ref found, ReturnValidator.Validate(operation.Rules, draft.Country, draft.Period, draft.Values, draft.Notes), figureErrors);
                if (found is null && !seen.Add((draft.Country, draft.Period)))
                {
                    found = [$"{draft.Country} {draft.Period} appears more than once in this batch."];
                }

                if (found is null)
                {
                    drafts.Add(draft);
                }
            }

            messages[i] = found ?? [];
        }
    }

    /// <summary>Each error as "field: message", leaving out fields already in <paramref name="reported"/>.</summary>
    private static void AddMessages(ref List<string>? found, IReadOnlyDictionary<string, string[]> errors, Dictionary<string, string[]>? reported)
    {
        if (errors.Count == 0)
        {
            return;
        }

        foreach (var (field, fieldMessages) in errors)
        {
            if (reported?.ContainsKey(field) != true)
            {
                found ??= [];
                found.AddRange(fieldMessages.Select(message => $"{field}: {message}"));
            }
        }
    }

    public bool IsDryRun => dryRun;

    public override bool IsBatch => true;

    public override IReadOnlyCollection<ReturnDraft> Drafts => drafts;

    internal override Decision Decide(ReturnWriter writer, ReturnState state, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var errors = new List<ImportErrorDto>();
        int created = 0, updated = 0, unchanged = 0;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var found = messages[i];
            if (found.Count == 0)
            {
                var result = writer.Write(state, rowDrafts[i]!, submitter, null, now);
                switch (result.Status)
                {
                    case WriteStatus.Created: created++; break;
                    case WriteStatus.Amended: updated++; break;
                    case WriteStatus.Unchanged: unchanged++; break;
                    default: found = [result.Reason!]; break;
                }

                if (result.IsChange)
                {
                    changed.Add(rowDrafts[i]!.Country);
                }
            }

            if (found.Count > 0)
            {
                errors.Add(new ImportErrorDto(row.Row, row.Heading?.Country ?? row.CountryText, row.Heading?.Period.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? row.DateText, found));
            }
        }

        var commit = !dryRun && (!atomic || errors.Count == 0);
        var summary = new ImportSummaryDto(dryRun, atomic, commit, created, updated, unchanged, errors.Count, errors);
        var attempt = WriteAudit.Attempt(Http);
        attempt.Reason = $"{rows.Count} rows: {created} created, {updated} updated, {unchanged} unchanged, {errors.Count} rejected{(dryRun ? " (dry run)" : string.Empty)}.";
        if (!dryRun && atomic && errors.Count > 0)
        {
            attempt.Outcome = "rejected";
            return new Decision(TypedResults.Problem(
                title: "The batch was rejected; nothing was written",
                detail: $"{errors.Count} of {rows.Count} rows are invalid. Fix them, or send atomic=false to keep the valid rows.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["summary"] = summary }));
        }

        var response = new StoredResponse(StatusCodes.Status200OK, JsonSerializer.Serialize(summary, json));
        if (!commit)
        {
            attempt.Outcome = "dry-run";
            return new Decision(response);
        }

        attempt.Outcome = "batch";
        return new Decision(response, response, changed);
    }
}
