using Liberterra.Core.Security;

namespace Liberterra.Data.Entities;

/// <summary>
/// A person who signs in to the dashboard: an analyst or an admin, never a national unit (those use API keys).
/// Only a hash of the password is stored. The failure count and lock live here, not in memory, so a lockout
/// survives a restart and holds on every instance that shares the database.
/// </summary>
public sealed class UserRecord
{
    public const int EmailLength = 254;

    public long Id { get; init; }

    /// <summary>Always stored as <see cref="NormaliseEmail"/> gives it, so the unique index is case-insensitive in effect.</summary>
    public required string Email { get; init; }

    public required string PasswordHash { get; set; }
    public Role Role { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DisabledAt { get; set; }

    /// <summary>Consecutive failed sign-ins since the last success or lock.</summary>
    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    public static bool MayHaveRole(Role role) => role is Role.Analyst or Role.Admin;

    // Lower case because people type addresses that way; the comparison is ordinal on the stored form.
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();
}
