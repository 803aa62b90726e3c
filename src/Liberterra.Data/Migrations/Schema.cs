namespace Liberterra.Data.Migrations;

/// <summary>Provider annotations used by the hand-written migrations. A provider ignores the others' annotations.</summary>
internal static class Schema
{
    public const string SqliteAutoincrement = "Sqlite:Autoincrement";
}
