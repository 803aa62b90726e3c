using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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
