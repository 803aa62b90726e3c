using Liberterra.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages;

/// <summary>The home page sends analysts to the latest operation's dashboard.</summary>
public sealed class IndexModel(OperationReader reader) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await reader.LatestCodeAsync(cancellationToken) is { } code
            ? RedirectToPage("/Operations/Dashboard", new { code })
            : Page();
}
