namespace Liberterra.Web.Audit;

/// <summary>One audited write attempt, as <see cref="AuditApi"/> lists it.</summary>
public sealed record AuditEntryDto(
    long Id, DateTime At, long? KeyId, string? KeyLabel, string? Role, string Action, string? Operation, string? Country, string? Period,
    string Outcome, int StatusCode, string? Reason);

/// <param name="NextBeforeId">Pass as beforeId to read the next, older page; null on the last page.</param>
public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, long? NextBeforeId);
