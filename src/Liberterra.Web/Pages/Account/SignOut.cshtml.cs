using Liberterra.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Account;

/// <summary>Signing out is a POST from a form with an anti-forgery token, so another site cannot sign anyone out.</summary>
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        return LocalRedirect(DashboardAuthentication.SignInPath);
    }
}
