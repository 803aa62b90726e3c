namespace Liberterra.Data;

/// <summary>
/// PostgreSQL's text types cannot hold U+0000, which SQLite stores like any other character. So that both behave
/// alike, text with a NUL is refused before it is written (by the validators) and, looked up, finds nothing without
/// asking the database, where on PostgreSQL the query itself would fail.
/// </summary>
public static class DatabaseText
{
    public static bool CanStore(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);
}
