using Liberterra.Data;
using Liberterra.Web.Security;

namespace Liberterra.Web.Writes;

/// <summary>
/// A write to one operation's returns, made ready before its turn: parsed, authorised and validated. What is left for
/// the turn (<see cref="ReturnCommitter"/>) is what needs the database's current state: the operation's status, the
/// Idempotency-Key, the current returns, and the save.
/// </summary>
public abstract class PreparedWrite(HttpContext http, OperationDefinition operation, string? idempotencyKey, string requestHash)
{
    public HttpContext Http { get; } = http;
    public OperationDefinition Operation { get; } = operation;
    public string? IdempotencyKey { get; } = idempotencyKey;
    public string RequestHash { get; } = requestHash;
    public long KeyId => Http.User.KeyId()!.Value;
    public string Code => Operation.Rules.Code;

    /// <summary>A batch has its turn alone: its rows are already a group, and an atomic one that is refused must roll back alone.</summary>
    public abstract bool IsBatch { get; }

    /// <summary>The valid drafts, whose current returns the turn loads before <see cref="Decide"/>.</summary>
    public abstract IReadOnlyCollection<ReturnDraft> Drafts { get; }

    internal TaskCompletionSource<WriteResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Decides, inside the turn and against <paramref name="state"/>, what this write does, and adds what it writes to the
    /// context through <paramref name="writer"/>. Called once the operation is known to exist and be open, and the
    /// Idempotency-Key to be new.
    /// </summary>
    internal abstract Decision Decide(ReturnWriter writer, ReturnState state, DateTime now);
}

/// <summary>
/// What a write decided: the response, and, for a write to be committed, the response to store with its audit entry
/// (and Idempotency-Key) and the countries whose figures changed.
/// </summary>
internal sealed record Decision(WriteResponse Response, StoredResponse? Committed = null, IReadOnlyCollection<string>? ChangedCountries = null);
