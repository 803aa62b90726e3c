using System.Net;
using AngleSharp.Html.Parser;
using Liberterra.Core.Security;
using Liberterra.Web.Cli;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Liberterra.Web.Tests;

/// <summary>Signing in to the dashboard the way a browser does: fetch the form, send it back with its anti-forgery token.</summary>
public static class DashboardSignIn
{
    public const string SignInPath = "/account/sign-in";
    public const string AuthCookie = "liberterra.auth";

    /// <summary>A browser-like client: it keeps cookies, and shows redirects instead of following them.</summary>
    public static HttpClient Browser(this LiberterraApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates a user the way `users add` does.</summary>
    public static Task AddUserAsync(this LiberterraApp app, string email, string password, Role role = Role.Analyst) =>
        app.Services.AddUserAsync(email, password, role);

    /// <summary>The same on any app's services, e.g. a factory derived with WithWebHostBuilder.</summary>
    public static async Task AddUserAsync(this IServiceProvider services, string email, string password, Role role = Role.Analyst)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await UsersCommand.RunAsync(services, ["users", "add", "--role", role.Name(), "--email", email], () => password, output, error);
        exitCode.Should().Be(0, error.ToString());
    }

    /// <summary>Disables a user the way `users disable` does.</summary>
    public static async Task DisableUserAsync(this LiberterraApp app, string email)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await UsersCommand.RunAsync(app.Services, ["users", "disable", "--email", email], () => null, output, error);
        exitCode.Should().Be(0, error.ToString());
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public static async Task<string> FormTokenAsync(this HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        return document.QuerySelector("form input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no form with an anti-forgery token.");
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        var token = await client.FormTokenAsync(SignInPath);
        Dictionary<string, string> fields = new()
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(SignInPath, form);
    }

    /// <summary>The Set-Cookie header for the sign-in cookie, if the response sets (or clears) it.</summary>
    public static string? AuthCookieHeader(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith(AuthCookie + "=", StringComparison.Ordinal))
            : null;

    /// <summary>Whether the response sends the client to the sign-in page.</summary>
    public static bool IsSignInRedirect(this HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found
        && response.Headers.Location is { } location
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0])
            .Equals(SignInPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the dashboard let the caller in (a page, or a redirect elsewhere in the dashboard).</summary>
    public static bool OpensTheDashboard(this HttpResponseMessage response) =>
        !response.IsSignInRedirect()
        && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        && (int)response.StatusCode < 400;

    /// <summary>The text of the page's error summary (the generic refusal), or null.</summary>
    public static async Task<string?> SignInErrorAsync(this HttpResponseMessage response)
    {
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelector(".validation-summary-errors")?.TextContent.Trim();
    }
}
