using Liberterra.Data;
using Liberterra.Web.Settings;
using Microsoft.AspNetCore.DataProtection;

namespace Liberterra.Web.Security;

public static class DataProtectionKeys
{
    /// <summary>
    /// ASP.NET Core Data Protection (sign-in cookies, anti-forgery tokens) with its key ring in the database, through
    /// Data Protection's own EF Core store, so every instance on the database uses the same keys and a restart keeps
    /// everyone signed in. The application name is fixed: the default is the content root path, which differs between
    /// machines and would keep instances apart. With a certificate configured (<see cref="DataProtectionSettings"/>),
    /// each key is encrypted with it before it is stored; keys stored before that stay readable. Data Protection takes
    /// the certificate while services are registered, so the settings are read then; a certificate that cannot be used
    /// is left out here and stops the app in the start-up check with every other bad setting.
    /// </summary>
    public static WebApplicationBuilder AddDataProtectionKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<DataProtectionSettings>();
        var certificate = builder.Configuration.TryRead<DataProtectionSettings>()?.LoadCertificate();
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
