using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Liberterra.Browser.Tests;

/// <summary>
/// The real app on Kestrel at http://127.0.0.1:&lt;free port&gt;, seeded, on its own SQLite file in a temporary
/// folder. A browser needs a real socket, which the in-memory TestServer of the other web tests does not give.
/// </summary>
public sealed class BrowserApp : WebApplicationFactory<Program>
{
    private readonly string directory = Directory.CreateTempSubdirectory("liberterra-browser-").FullName;

    public BrowserApp() =>
        // Port 0: the OS picks a free port, so parallel runs and other test projects never collide.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    /// <summary>Development by default: anonymous reads are allowed there, as the pages need today.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Extra configuration, e.g. a setting a test needs switched.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>Where the app listens, known once <see cref="Start"/> has run.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Liberterra", $"Data Source={Path.Combine(directory, "liberterra.db")}");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background task; the OS temp cleaner will take it.
        }
    }
}
