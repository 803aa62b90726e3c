using System.Security.Cryptography;
using System.Text;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Writes;

/// <summary>
/// Idempotency-Key support: the first successful response to a key is stored in the same transaction as the write,
/// a retry with the same key and the same request replays it, and the same key with a different request is a 422.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Reads the header: absent is fine; present, it must be 1–200 visible ASCII characters.</summary>
    public static bool TryRead(HttpRequest request, out string? key)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = null;
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return true;
        }

        key = values.Count == 1 ? values[0] : null;
        return key is { Length: > 0 and <= IdempotencyRecord.KeyLength } && key.All(c => c is > ' ' and <= '~');
    }

    public static string Hash(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static Task<IdempotencyRecord?> FindAsync(LiberterraDbContext db, long apiKeyId, string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ApiKeyId == apiKeyId && r.IdempotencyKey == key, cancellationToken);

    public static IdempotencyRecord Record(long apiKeyId, string key, string requestHash, StoredResponse response, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new IdempotencyRecord
        {
            ApiKeyId = apiKeyId,
            IdempotencyKey = key,
            RequestHash = requestHash,
            StatusCode = response.StatusCode,
            ResponseBody = response.Json,
            Location = response.Location,
            ETag = response.ETag,
            CreatedAt = now,
        };
    }

    public static StoredResponse Replay(IdempotencyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new StoredResponse(record.StatusCode, record.ResponseBody, record.Location, record.ETag, Replayed: true);
    }
}
