using Liberterra.Core.Security;

namespace Liberterra.Data.Entities;

/// <summary>An issued API key. The key itself is never stored, only its SHA-256 hash.</summary>
public sealed class ApiKeyRecord
{
    public long Id { get; init; }
    public Role Role { get; init; }

    /// <summary>The one country a national unit may write for; null for analysts and admins.</summary>
    public string? Country { get; init; }

    public required string Label { get; init; }
    public required string KeyHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
