using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Liberterra.Data.Entities;
using Liberterra.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Account;

public sealed class SignInModel(UserSignIn signIn) : PageModel
{
    /// <summary>The one message for every refusal, so it never tells whether an email has an account.</summary>
    public const string Refusal =
        "That email and password did not work. Repeated failures lock an account for a while; if you cannot sign in, ask an admin.";

    [BindProperty]
    [Required]
    [StringLength(UserRecord.EmailLength)]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    [Required]
    [StringLength(1024)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when this client has failed too often; the page then answers 429.</summary>
    public string? ThrottledMessage { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var attempt = await signIn.AttemptAsync(Email, Password, client, cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            ThrottledMessage = $"Too many failed sign-ins have come from your address. Wait {retryAfter.TotalMinutes:0} minutes, then try again.";
            return Page();
        }

        if (attempt.Principal is null)
        {
            ModelState.AddModelError(string.Empty, Refusal);
            return Page();
        }

        await HttpContext.SignInAsync(DashboardAuthentication.Scheme, attempt.Principal);

        // Only a path on this site, so a crafted link cannot send a freshly signed-in analyst elsewhere.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
