namespace Liberterra.Web.Audit;

/// <summary>What a write endpoint learned about an attempt, for its audit entry.</summary>
public sealed class WriteAttempt
{
    public string? Operation { get; set; }
    public string? Country { get; set; }
    public string? Period { get; set; }
    public string? Outcome { get; set; }
    public string? Reason { get; set; }

    /// <summary>Set when the entry was saved in the write's own transaction, so the middleware must not add another.</summary>
    public bool Recorded { get; set; }
}
