using Liberterra.Client.Generated;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Liberterra.Client.Tests;

/// <summary>
/// The real app in Production (so every route needs a key), seeded, on its own SQLite file in a temporary folder, and
/// the generated client pointed at it.
/// </summary>
public sealed class ClientApp : WebApplicationFactory<Program>
{
    private readonly string directory = Directory.CreateTempSubdirectory("liberterra-client-").FullName;

    /// <summary>Issues a key the way `keys issue` does (stored only as its hash) and returns the key itself.</summary>
    public async Task<string> IssueKeyAsync(Role role, string label, string? country = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var key = ApiKeys.Generate();
        db.ApiKeys.Add(new ApiKeyRecord { Role = role, Country = country, Label = label, KeyHash = ApiKeys.Hash(key), CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return key;
    }

    /// <summary>
    /// The generated client with a key. Its base URL is the HttpClient's base address: the document's server is
    /// relative ("/"), so the client talks to whatever host it is given.
    /// </summary>
    public LiberterraClient ClientWithKey(string key)
    {
        // Kiota's own middleware (retries, redirects, header inspection …) in front of the in-memory server, as a
        // client made by KiotaClientFactory has in front of the network.
        var http = CreateDefaultClient(ClientOptions.BaseAddress, [.. KiotaClientFactory.CreateDefaultHandlers()]);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new LiberterraClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Liberterra", $"Data Source={Path.Combine(directory, "liberterra.db")}");
        builder.UseSetting("RateLimiting:PermitsPerSecond", "1000");
        builder.UseSetting("RateLimiting:Burst", "1000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
