using Liberterra.Core.Operations;

namespace Liberterra.Web.Writes;

/// <summary>An operation as a write sees it before its turn: its id, and the rules (window, participants) a return is validated against.</summary>
/// <param name="Rules">The operation's window and participants, which never change once it exists. Its status does, and
/// is read inside the write's transaction instead; the one here may be stale.</param>
public sealed record OperationDefinition(int Id, Operation Rules);
