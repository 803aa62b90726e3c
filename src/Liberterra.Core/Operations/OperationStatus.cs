namespace Liberterra.Core.Operations;

/// <summary>An open operation takes returns; a final one is closed to writes until reopened.</summary>
public enum OperationStatus
{
    Open,
    Final,
}
