namespace Liberterra.Data.Entities;

/// <summary>
/// One ASP.NET Core Data Protection key, as the key manager writes it: an XML element, kept whole. Every instance on
/// the database reads the same keys, so a sign-in cookie or an anti-forgery token made by one is accepted by all.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public const int FriendlyNameLength = 100;

    public int Id { get; init; }

    /// <summary>The name the key manager gives the element ("key-" and the key's id).</summary>
    public string? FriendlyName { get; init; }

    public required string Xml { get; init; }
}
