using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Data;

/// <summary>A return as a client sent it, already parsed.</summary>
public sealed record ReturnDraft(string Country, ReturnPeriod Period, ReturnMetrics Metrics, string? Notes);

/// <summary>An If-Match condition: "*" (the return must exist) or a set of acceptable versions.</summary>
public sealed record Precondition(bool AnyExisting, IReadOnlySet<int> Versions)
{
    public bool IsMetBy(int? currentVersion) =>
        currentVersion is { } version && (AnyExisting || Versions.Contains(version));
}

/// <summary>Who sent a write: the API key's id and label.</summary>
public sealed record Submitter(long KeyId, string Label);

public enum WriteStatus
{
    Created,
    Amended,
    Unchanged,
    GranularityConflict,
    VersionMismatch,
}

public sealed record WriteResult(WriteStatus Status, ReturnRecord? Return, string? Reason = null)
{
    public bool IsAccepted => Status is WriteStatus.Created or WriteStatus.Amended or WriteStatus.Unchanged;
}

/// <summary>
/// Applies one validated return to the store inside the caller's transaction. A new country and period creates
/// version 1; a changed body amends it to the next version; an identical body changes nothing, so a retry never
/// counts twice. Every version is kept in ReturnVersions. The caller saves and commits, which lets a batch be atomic.
/// </summary>
public sealed class ReturnWriter(LiberterraDbContext db)
{
    /// <param name="ifMatch">From If-Match: the version(s) the client last saw, or null to accept any state.</param>
    public async Task<WriteResult> WriteAsync(
        int operationId, ReturnDraft draft, Submitter submitter, Precondition? ifMatch, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(submitter);

        var (existing, mixesGranularity) = await FindAsync(operationId, draft, cancellationToken).ConfigureAwait(false);
        if (mixesGranularity)
        {
            return new WriteResult(WriteStatus.GranularityConflict, null, draft.Period.IsWholeOperation
                ? $"{draft.Country} already sends daily returns for this operation; a country uses one granularity per operation."
                : $"{draft.Country} already sends a whole-operation return for this operation; a country uses one granularity per operation.");
        }

        if (ifMatch is not null && !ifMatch.IsMetBy(existing?.Version))
        {
            return new WriteResult(WriteStatus.VersionMismatch, existing,
                existing is null
                    ? "If-Match was sent, but this return does not exist yet."
                    : $"If-Match does not name the current version, which is {existing.Version}.");
        }

        if (existing is null)
        {
            var created = ReturnRecord.First(
                operationId, draft.Country, draft.Period, draft.Metrics, draft.Notes, submitter.Label, submitter.KeyId, illustrative: false, now);
            db.Returns.Add(created);
            return new WriteResult(WriteStatus.Created, created);
        }

        var changes = ReturnChanges.Between(existing.Metrics, existing.Notes, draft.Metrics, draft.Notes);
        if (changes.Count == 0)
        {
            return new WriteResult(WriteStatus.Unchanged, existing);
        }

        existing.Metrics = draft.Metrics;
        existing.Notes = draft.Notes;
        existing.Version++;
        existing.UpdatedAt = now;
        existing.IsIllustrative = false;
        db.ReturnVersions.Add(existing.Snapshot(submitter.Label, submitter.KeyId, changes, now));
        return new WriteResult(WriteStatus.Amended, existing);
    }

    /// <summary>
    /// The current return for the draft's country and period, and whether that country already uses the other
    /// granularity, in one query: at most the matching row and one row of the other kind. Rows added earlier in the
    /// same batch (tracked, not yet saved) count too.
    /// </summary>
    private async Task<(ReturnRecord? Existing, bool MixesGranularity)> FindAsync(int operationId, ReturnDraft draft, CancellationToken cancellationToken)
    {
        var whole = ReturnPeriod.WholeOperation;
        var wantsWhole = draft.Period.IsWholeOperation;
        var local = db.Returns.Local.Where(r => r.OperationId == operationId && r.Country == draft.Country).ToList();
        var stored = await db.Returns
            .Where(r => r.OperationId == operationId && r.Country == draft.Country
                && (r.Period == draft.Period || (wantsWhole ? r.Period != whole : r.Period == whole)))
            .Take(2)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var candidates = local.Concat(stored).ToList();
        return (candidates.FirstOrDefault(r => r.Period == draft.Period), candidates.Any(r => r.Period.IsWholeOperation != wantsWhole));
    }
}
