using System.Diagnostics;
using System.Net;
using Liberterra.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.HostileRequests;

namespace Liberterra.Web.Tests;

/// <summary>The clients for every caller, and which endpoints the hostile requests reached.</summary>
public sealed partial class HostileInputTests
{
    /// <summary>Clients for every caller: keys of each role, a revoked, a forged, a malformed and an enormous key, nobody, and signed-in dashboard users.</summary>
    private static async Task<(Dictionary<string, HttpClient> Clients, string FormToken)> CallersAsync(LiberterraApp app, Dictionary<string, string> keys)
    {
        var revoked = await app.IssueKeyAsync(Role.Admin, label: "revoked admin");
        await app.RevokeKeyAsync(revoked);

        var clients = keys.ToDictionary(pair => pair.Key, pair => app.ClientWithKey(pair.Value), StringComparer.Ordinal);
        clients[Nobody] = app.CreateClient();
        clients[Revoked] = app.ClientWithKey(revoked);
        clients[Forged] = app.ClientWithKey(ApiKeys.Generate()); // the right shape, a secret nobody was issued
        clients[Malformed] = app.ClientWithKey("lbt_not a key; DROP TABLE ApiKeys;--");
        clients[Enormous] = app.ClientWithKey("lbt_" + new string('A', 64 * 1024));

        await app.AddUserAsync("victim@liberterra.test", "victim-password-1");
        foreach (var (caller, role) in new[] { (AnalystSession, Role.Analyst), (AdminSession, Role.Admin) })
        {
            var email = caller.Replace(' ', '.') + "@liberterra.test";
            await app.AddUserAsync(email, "correct-horse-battery", role);
            var browser = app.Browser();
            using var signedIn = await browser.SignInAsync(email, "correct-horse-battery");
            signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
            clients[caller] = browser;
        }

        clients[SignInForm] = app.Browser();
        var token = await clients[SignInForm].FormTokenAsync(DashboardSignIn.SignInPath);
        return (clients, token);
    }

    /// <summary>Which endpoints the router chose for the requests, observed through the routing diagnostics event.</summary>
    private sealed class EndpointsReached : IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly HashSet<string> names = new(StringComparer.Ordinal);
        private readonly IDisposable subscription;

        public EndpointsReached(IServiceProvider services) =>
            subscription = services.GetRequiredService<DiagnosticListener>().Subscribe(this, name => name == "Microsoft.AspNetCore.Routing.EndpointMatched");

        public IReadOnlyCollection<string> Names
        {
            get
            {
                lock (names)
                {
                    return [.. names];
                }
            }
        }

        /// <summary>Every endpoint the app maps.</summary>
        public static IReadOnlyCollection<string> Mapped(IServiceProvider services) =>
            services.GetRequiredService<EndpointDataSource>().Endpoints.Select(Describe).ToHashSet(StringComparer.Ordinal);

        private static string Describe(Endpoint endpoint)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            return $"{string.Join("|", methods)} /{(endpoint as RouteEndpoint)?.RoutePattern.RawText?.TrimStart('/') ?? endpoint.DisplayName}";
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is HttpContext { } context && context.GetEndpoint() is { } endpoint)
            {
                lock (names)
                {
                    names.Add(Describe(endpoint));
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => subscription.Dispose();
    }
}
