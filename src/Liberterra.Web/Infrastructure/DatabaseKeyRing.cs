using System.Xml.Linq;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Infrastructure;

/// <summary>
/// The Data Protection key ring, kept in the database instead of a folder on one machine, so every instance on the
/// database protects and reads the same sign-in cookies and anti-forgery tokens, and a restart or a new instance keeps
/// everyone signed in. The key manager reads every key at start-up and whenever it refreshes its ring (daily, or when it
/// meets a key it does not know soon after start-up), and stores one when it makes a key (about every 90 days), so
/// neither path needs to be fast.
/// </summary>
/// <remarks>
/// Keys are stored unencrypted (no XML encryptor is configured, and the key manager logs a warning saying so). Whoever
/// can read the database can read the keys, as they can read the password hashes and the returns themselves: guard the
/// database, its backups and its connection string accordingly.
/// </remarks>
public sealed class DatabaseKeyRing(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var stored = db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList();
        return stored.Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord
        {
            // Only a label ("key-" and a GUID); the key's id is inside the XML, which is all the key manager reads back.
            FriendlyName = friendlyName is { Length: <= DataProtectionKeyRecord.FriendlyNameLength } ? friendlyName : null,
            Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        scope.ServiceProvider.GetRequiredService<WriteGate>().Run(() => db.SaveChanges());
    }
}

public static class DataProtectionExtensions
{
    /// <summary>
    /// Data Protection with its keys in the database (<see cref="DatabaseKeyRing"/>) and a fixed application name: the
    /// default name is the content root path, which differs between machines and would keep instances apart.
    /// </summary>
    public static WebApplicationBuilder AddDatabaseKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("Liberterra");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceScopeFactory>((options, scopes) => options.XmlRepository = new DatabaseKeyRing(scopes));
        return builder;
    }
}
