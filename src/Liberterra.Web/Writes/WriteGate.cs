namespace Liberterra.Web.Writes;

/// <summary>
/// SQLite takes one writer at a time. When two connections in this process collide on its lock, the driver backs off
/// by sleeping and retrying, which under 32 concurrent writers cost hundreds of milliseconds per write. Queueing the
/// writers here instead, asynchronously, hands the lock over the moment it is free. A server database (PostgreSQL)
/// takes concurrent writers itself and gets a gate that never waits.
/// </summary>
public sealed class WriteGate(bool serialize) : IDisposable
{
    private readonly SemaphoreSlim? gate = serialize ? new SemaphoreSlim(1, 1) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (gate is null)
        {
            return await write();
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RunAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await RunAsync(async () =>
        {
            await write();
            return true;
        }, cancellationToken);
    }

    public void Dispose() => gate?.Dispose();
}
