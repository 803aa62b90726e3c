namespace Liberterra.Data.Entities;

/// <summary>One write attempt, accepted or rejected: who, when, what it aimed at, what happened and why.</summary>
public sealed class AuditEntryRecord
{
    public const int ShortTextLength = 64;
    public const int LabelLength = 200;
    public const int ReasonLength = 2000;

    public long Id { get; init; }
    public DateTime At { get; init; }
    public long? KeyId { get; init; }
    public string? KeyLabel { get; init; }
    public string? Role { get; init; }
    public required string Action { get; init; }
    public string? Operation { get; init; }
    public string? Country { get; init; }
    public string? Period { get; init; }
    public required string Outcome { get; init; }
    public int StatusCode { get; init; }
    public string? Reason { get; init; }
}
