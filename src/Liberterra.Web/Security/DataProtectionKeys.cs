using Liberterra.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Liberterra.Web.Security;

public static class DataProtectionKeys
{
    /// <summary>
    /// ASP.NET Core Data Protection (sign-in cookies, anti-forgery tokens) with its key ring in the database, through
    /// Data Protection's own EF Core store, so every instance on the database uses the same keys and a restart keeps
    /// everyone signed in. The application name is fixed: the default is the content root path, which differs between
    /// machines and would keep instances apart. With a certificate configured (<see cref="DataProtectionSettings"/>),
    /// each key is encrypted with it before it is stored; keys stored before that stay readable.
    /// </summary>
    public static WebApplicationBuilder AddDataProtectionKeys(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DataProtectionSettings.Section).Get<DataProtectionSettings>() ?? new();
        var certificate = settings.LoadCertificate();
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("Liberterra")
            .PersistKeysToDbContext<LiberterraDbContext>();
        if (certificate is not null)
        {
            // Unprotect names the certificate too: on Linux the key manager cannot find it in a certificate store.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return builder;
    }
}
