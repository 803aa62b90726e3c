using System.Collections.Concurrent;
using Liberterra.Data;
using Liberterra.Web.Hosting;
using Liberterra.Web.Writes;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Security;

/// <summary>
/// Records when each key was last used. Writing on every request would turn every read into a write, so a key's
/// time is written at most once a minute; `keys list` shows it to that precision.
/// </summary>
public sealed class ApiKeyUsage(WriteGate gate)
{
    private static readonly TimeSpan Precision = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, DateTime> lastWritten = new();

    /// <param name="requestServices">Where the database comes from, resolved only when the time is due to be written,
    /// so the other requests of the minute take no context at all.</param>
    public async Task RecordAsync(IServiceProvider requestServices, long keyId, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        if (lastWritten.TryGetValue(keyId, out var last) && now - last < Precision)
        {
            return;
        }

        lastWritten[keyId] = now;
        ArgumentNullException.ThrowIfNull(requestServices);
        var db = requestServices.GetRequiredService<LiberterraDbContext>();
        try
        {
            await gate.RunAsync(() => db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken), cancellationToken);
        }
        catch (Exception exception) when (DatabaseUnavailable.IsUnavailable(exception))
        {
            // A database that reads but cannot write (a full or read-only disk) must not fail the read this rides on;
            // the time is written a minute later, as it would be anyway.
        }
    }
}
