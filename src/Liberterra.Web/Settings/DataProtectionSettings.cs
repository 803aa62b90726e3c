using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Liberterra.Web.Settings;

/// <summary>The "DataProtection" settings: a certificate that encrypts the key ring at rest, or none.</summary>
public sealed class DataProtectionSettings : ISettingsSection, IValidatableObject
{
    public static string Section => "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file holding a certificate and its private key. Empty: keys are stored unencrypted.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The .pfx file's password, if it has one. Give it through the environment or a secret store, not a file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The configured certificate, or null when there is none; <see cref="Validate"/> has checked it can be used.</summary>
    public X509Certificate2? LoadCertificate() =>
        Load(out var problem) ?? (problem is null ? null : throw new InvalidOperationException($"{Section}:{nameof(CertificatePath)} {problem}"));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        using var certificate = Load(out var problem);
        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(CertificatePath)]);
        }
    }

    private X509Certificate2? Load(out string? problem)
    {
        problem = null;
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
            problem = $"is '{CertificatePath}', which could not be read as a PKCS#12 (.pfx) certificate with {Section}:{nameof(CertificatePassword)} ({exception.Message.TrimEnd('.')}).";
            return null;
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            problem = $"is '{CertificatePath}', which holds no private key, so the keys it encrypts could not be read back.";
            return null;
        }

        return certificate;
    }
}
