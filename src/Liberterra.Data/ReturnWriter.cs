using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Data;

/// <summary>A return as a client sent it, already parsed.</summary>
public sealed record ReturnDraft(string Country, ReturnPeriod Period, ReturnValues Values, string? Notes);

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

    public bool IsChange => Status is WriteStatus.Created or WriteStatus.Amended;
}

/// <summary>
/// Applies validated returns to the store inside the caller's transaction. A new country and period creates version 1;
/// a changed body amends it to the next version; an identical body changes nothing, so a retry never counts twice.
/// Every version is kept in ReturnVersions. The caller commits, which lets a batch be atomic and lets one transaction
/// carry the single returns of a group commit.
/// </summary>
/// <remarks>
/// Everything the drafts can touch is read with one query first (<see cref="LoadAsync"/>); each write is then decided in
/// memory against that state, which the write itself updates, so a later draft sees an earlier one; and
/// <see cref="SaveAsync"/> writes the outcome with prepared commands (<see cref="RowWriter"/>). The cost of a batch is
/// therefore linear in its size: nothing per row searches what the rows before it added.
/// </remarks>
public sealed class ReturnWriter(LiberterraDbContext db)
{
    /// <summary>
    /// Reads, tracked, the current returns for the drafts' countries and periods, each of those countries' whole-operation
    /// return, and for countries sending a whole-operation return whether they already send daily ones. Call it inside the
    /// write's transaction, after the countries are locked (<see cref="LiberterraDbContext.LockCountriesAsync"/>).
    /// </summary>
    public async Task<ReturnState> LoadAsync(int operationId, DataSet dataSet, IReadOnlyCollection<ReturnDraft> drafts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var state = new ReturnState(operationId, dataSet);
        if (drafts.Count == 0)
        {
            return state;
        }

        var whole = ReturnPeriod.WholeOperation;
        var countries = drafts.Select(d => d.Country).Distinct(StringComparer.Ordinal).ToList();
        var periods = drafts.Select(d => d.Period).Distinct().ToList();

        // The product of countries and periods can name returns no draft asked for; they are merely loaded, never written.
        var current = await db.Returns.AsNoTracking()
            .Where(r => r.OperationId == operationId && countries.Contains(r.Country) && (periods.Contains(r.Period) || r.Period == whole))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in current)
        {
            state.Load(record);
        }

        var sendingWhole = drafts.Where(d => d.Period.IsWholeOperation).Select(d => d.Country).Distinct(StringComparer.Ordinal).ToList();
        if (sendingWhole.Count > 0)
        {
            var daily = await db.Returns
                .Where(r => r.OperationId == operationId && sendingWhole.Contains(r.Country) && r.Period != whole)
                .Select(r => r.Country).Distinct()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var country in daily)
            {
                state.MarkDaily(country);
            }
        }

        return state;
    }

    /// <param name="ifMatch">From If-Match: the version(s) the client last saw, or null to accept any state.</param>
    public WriteResult Write(ReturnState state, ReturnDraft draft, Submitter submitter, Precondition? ifMatch, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(submitter);

        if (state.MixesGranularity(draft))
        {
            return new WriteResult(WriteStatus.GranularityConflict, null, draft.Period.IsWholeOperation
                ? $"{draft.Country} already sends daily returns for this operation; a country uses one granularity per operation."
                : $"{draft.Country} already sends a whole-operation return for this operation; a country uses one granularity per operation.");
        }

        var existing = state.Find(draft.Country, draft.Period);
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
                state.DataSet, state.OperationId, draft.Country, draft.Period, draft.Values, draft.Notes, submitter.Label, submitter.KeyId, illustrative: false, now);
            state.Add(created);
            return new WriteResult(WriteStatus.Created, created);
        }

        var changes = ReturnChanges.Between(state.DataSet, existing.Values, existing.Notes, draft.Values, draft.Notes);
        if (changes.Count == 0)
        {
            return new WriteResult(WriteStatus.Unchanged, existing);
        }

        existing.Values = draft.Values;
        existing.Notes = draft.Notes;
        existing.Version++;
        existing.UpdatedAt = now;
        existing.IsIllustrative = false;
        state.AddVersion(existing, existing.Snapshot(submitter.Label, submitter.KeyId, changes, now));
        return new WriteResult(WriteStatus.Amended, existing);
    }

    /// <summary>Writes what the writes decided: the new returns, then every new version, then the amended returns.</summary>
    public async Task SaveAsync(ReturnState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await RowWriter.InsertAsync(db, state.Created, cancellationToken).ConfigureAwait(false);
        foreach (var (owner, version) in state.NewVersions)
        {
            version.ReturnId = owner.Id;
        }

        await RowWriter.InsertAsync(db, state.NewVersions.Select(v => v.Version).ToList(), cancellationToken).ConfigureAwait(false);
        await RowWriter.UpdateAsync(db, state.Amended, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The returns that a set of writes to one operation may touch, as <see cref="ReturnWriter.LoadAsync"/> read them and the
/// writes since have left them, and which granularity each country is known to use.
/// </summary>
public sealed class ReturnState(int operationId, DataSet dataSet)
{
    private readonly Dictionary<(string Country, ReturnPeriod Period), ReturnRecord> returns = [];
    private readonly HashSet<string> sendingWhole = new(StringComparer.Ordinal);
    private readonly HashSet<string> sendingDaily = new(StringComparer.Ordinal);
    private readonly Dictionary<ReturnRecord, int> loadedVersions = new(ReferenceEqualityComparer.Instance);
    private readonly List<ReturnRecord> created = [];
    private readonly List<(ReturnRecord Owner, ReturnVersionRecord Version)> newVersions = [];

    public int OperationId { get; } = operationId;

    /// <summary>The operation's data set, which names the fields a version's changes are listed by.</summary>
    public DataSet DataSet { get; } = dataSet;

    /// <summary>Returns that did not exist before, each with its version 1 in <see cref="NewVersions"/>.</summary>
    internal IReadOnlyList<ReturnRecord> Created => created;

    /// <summary>Every version written, in order, with the return it belongs to.</summary>
    internal IReadOnlyList<(ReturnRecord Owner, ReturnVersionRecord Version)> NewVersions => newVersions;

    /// <summary>Stored returns that were amended, with the version they were read at.</summary>
    internal IReadOnlyList<(ReturnRecord Row, object OriginalToken)> Amended =>
        loadedVersions.Where(pair => pair.Key.Version != pair.Value).Select(pair => (pair.Key, (object)pair.Value)).ToList();

    public ReturnRecord? Find(string country, ReturnPeriod period) => returns.GetValueOrDefault((country, period));

    internal void Load(ReturnRecord record)
    {
        loadedVersions[record] = record.Version;
        Track(record);
    }

    internal void Add(ReturnRecord record)
    {
        created.Add(record);
        newVersions.Add((record, record.Versions.Single()));
        Track(record);
    }

    internal void AddVersion(ReturnRecord owner, ReturnVersionRecord version) => newVersions.Add((owner, version));

    internal void MarkDaily(string country) => sendingDaily.Add(country);

    internal bool MixesGranularity(ReturnDraft draft) =>
        (draft.Period.IsWholeOperation ? sendingDaily : sendingWhole).Contains(draft.Country);

    private void Track(ReturnRecord record)
    {
        returns[(record.Country, record.Period)] = record;
        (record.Period.IsWholeOperation ? sendingWhole : sendingDaily).Add(record.Country);
    }
}
