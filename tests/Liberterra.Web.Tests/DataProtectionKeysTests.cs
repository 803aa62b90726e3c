using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Liberterra.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Tests;

/// <summary>
/// The Data Protection key ring (sign-in cookies, anti-forgery tokens) lives in the database through Data Protection's
/// own EF Core store. A cookie issued before the store changed keeps working, and a configured certificate encrypts
/// every key at rest.
/// </summary>
public sealed class DataProtectionKeysTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private const string Dashboard = "/operations/liberterra-iii";

    /// <summary>As deployed: the dashboard needs a signed-in user, so a page that opens proves the cookie was read.</summary>
    private const string Production = "Production";

    private readonly TestDatabase database = new();
    private readonly string folder = Directory.CreateTempSubdirectory("liberterra-keys-").FullName;

    [Fact]
    public async Task ASignInCookieIssuedWithThePreviousReleasesKeyStoreStillOpensTheDashboardAfterTheUpgrade()
    {
        const string Email = "before-the-upgrade@example.org";
        string cookie;
        using (var unstarted = new LiberterraApp(database) { EnvironmentName = Production })
        using (var previous = unstarted.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((options, scopes) => options.XmlRepository = new PreviousReleaseKeyRing(scopes)))))
        {
            await previous.Services.AddUserAsync(Email, Password);
            using var browser = previous.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            using var signIn = await browser.SignInAsync(Email, Password);
            cookie = signIn.AuthCookieHeader()?.Split(';')[0] ?? throw new InvalidOperationException("the previous release's sign-in set no cookie");
        }

        await using (var db = database.Context())
        {
            (await db.DataProtectionKeys.CountAsync()).Should().BeGreaterThan(0, "the previous release's store wrote its key");
        }

        using var upgraded = new LiberterraApp(database) { EnvironmentName = Production };
        upgraded.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository
            .Should().BeOfType<EntityFrameworkCoreXmlRepository<LiberterraDbContext>>();
        using var page = await GetWithCookieAsync(upgraded, cookie);

        page.StatusCode.Should().Be(HttpStatusCode.OK, "the new store reads the key the previous one wrote");
        (await page.Content.ReadAsStringAsync()).Should().Contain(Email, "the page is the signed-in user's");
    }

    [Fact]
    public async Task WithACertificateConfiguredEveryKeyIsStoredEncryptedAndOnlyAnInstanceWithTheCertificateReadsTheCookie()
    {
        const string Email = "encrypted-keys@example.org";
        var certificate = WriteSelfSignedCertificate("a password for the test");
        Dictionary<string, string?> settings = new()
        {
            ["DataProtection:CertificatePath"] = certificate,
            ["DataProtection:CertificatePassword"] = "a password for the test",
        };

        string cookie;
        using (var first = new LiberterraApp(database) { EnvironmentName = Production, Settings = settings })
        {
            await first.AddUserAsync(Email, Password);
            using var browser = first.Browser();
            using var signIn = await browser.SignInAsync(Email, Password);
            cookie = signIn.AuthCookieHeader()?.Split(';')[0] ?? throw new InvalidOperationException("signing in set no cookie");
        }

        await using (var db = database.Context())
        {
            var stored = await db.DataProtectionKeys.AsNoTracking().ToListAsync();
            stored.Should().NotBeEmpty();
            foreach (var key in stored)
            {
                var names = XElement.Parse(key.Xml!).Descendants().Select(e => e.Name.LocalName).ToList();
                names.Should().Contain("encryptedSecret", "the key's secret is encrypted with the certificate")
                    .And.NotContain("masterKey", "no key is stored in the clear");
            }
        }

        using (var second = new LiberterraApp(database) { EnvironmentName = Production, Settings = settings })
        using (var page = await GetWithCookieAsync(second, cookie))
        {
            page.StatusCode.Should().Be(HttpStatusCode.OK, "another instance with the certificate decrypts the key");
            (await page.Content.ReadAsStringAsync()).Should().Contain(Email);
        }

        using var withoutCertificate = new LiberterraApp(database) { EnvironmentName = Production };
        using var refused = await GetWithCookieAsync(withoutCertificate, cookie);
        refused.IsSignInRedirect().Should().BeTrue("without the certificate the stored key cannot be read, so the cookie means nothing");
    }

    [Fact]
    public void ACertificatePathThatCannotBeReadStopsTheAppWithALineNamingTheSetting()
    {
        var missing = Path.Combine(folder, "missing.pfx");
        using var app = new LiberterraApp(database) { Settings = { ["DataProtection:CertificatePath"] = missing } };

        var start = () => app.Services;

        start.Should().Throw<ValidationException>()
            .WithMessage($"DataProtection:CertificatePath: '{missing}' could not be read as a PKCS#12 (.pfx) certificate*");
    }

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(LiberterraApp app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, Dashboard);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>A self-signed certificate with its private key, as a password-protected .pfx file; returns the path.</summary>
    private string WriteSelfSignedCertificate(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Liberterra Data Protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "data-protection.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    /// <summary>
    /// The key store of the release before this one, as it was (DatabaseKeyRing), writing through SQL because its
    /// entity class is gone: every key an XML element in the same table, unencrypted.
    /// </summary>
    private sealed class PreviousReleaseKeyRing(IServiceScopeFactory scopes) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
            return db.Database.SqlQueryRaw<string>("""SELECT "Xml" AS "Value" FROM "DataProtectionKeys" ORDER BY "Id" """)
                .AsEnumerable().Select(XElement.Parse).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
            var xml = element.ToString(SaveOptions.DisableFormatting);
            db.Database.ExecuteSql($"""INSERT INTO "DataProtectionKeys" ("FriendlyName", "Xml") VALUES ({friendlyName}, {xml})""");
        }
    }
}
