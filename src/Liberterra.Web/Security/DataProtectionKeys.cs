using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Liberterra.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Liberterra.Web.Security;

/// <summary>The "DataProtection" settings: a certificate that encrypts the key ring at rest, or none.</summary>
public sealed class DataProtectionSettings
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file holding a certificate and its private key. Empty: keys are stored unencrypted.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The .pfx file's password, if it has one. Give it through the environment or a secret store, not a file.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>Loads the configured certificate, or says in one line why it cannot be used.</summary>
    public X509Certificate2? LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ValidationException(
                $"{Section}:CertificatePath: '{CertificatePath}' could not be read as a PKCS#12 (.pfx) certificate with {Section}:CertificatePassword ({exception.Message.TrimEnd('.')}).");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ValidationException($"{Section}:CertificatePath: '{CertificatePath}' holds no private key, so the keys it encrypts could not be read back.");
        }

        return certificate;
    }
}

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
