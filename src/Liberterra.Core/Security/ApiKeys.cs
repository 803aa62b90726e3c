using System.Security.Cryptography;
using System.Text;

namespace Liberterra.Core.Security;

/// <summary>
/// API keys are 256 random bits. Only their SHA-256 hash is stored: a key with that much entropy cannot be guessed
/// from its hash, so a slow password hash would add cost to every request without adding safety.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "lbt_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Cheap shape check, so an obviously malformed header never reaches the database.</summary>
    public static bool LooksValid(string? key) =>
        key is { Length: > 20 and < 100 } && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
