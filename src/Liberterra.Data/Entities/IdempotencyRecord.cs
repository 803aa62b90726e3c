namespace Liberterra.Data.Entities;

/// <summary>
/// The first response to a request sent with an Idempotency-Key, kept so a retry with the same key and body gets
/// the same answer, and a reuse of the key with another body is refused. Keys are scoped to the API key that sent them.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int KeyLength = 200;

    public long Id { get; init; }
    public long ApiKeyId { get; init; }
    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the method, path, query and body: what "the same request" means.</summary>
    public required string RequestHash { get; init; }

    public int StatusCode { get; init; }
    public required string ResponseBody { get; init; }
    public string? Location { get; init; }
    public string? ETag { get; init; }
    public DateTime CreatedAt { get; init; }
}
