namespace Liberterra.Web.Security;

public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>The dashboard: a signed-in analyst or admin (cookie only), see <see cref="DashboardAuthentication"/>.</summary>
    public const string Dashboard = "dashboard";
}
