namespace Liberterra.Core.Security;

/// <summary>Who a key speaks for. A national unit is bound to one country and writes only that country's returns.</summary>
public enum Role
{
    NationalUnit,
    Analyst,
    Admin,
}

public static class RoleNames
{
    public const string NationalUnit = "national-unit";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static string Name(this Role role) => role switch
    {
        Role.NationalUnit => NationalUnit,
        Role.Analyst => Analyst,
        _ => Admin,
    };

    public static bool TryParse(string? text, out Role role)
    {
        switch (text)
        {
            case NationalUnit:
                role = Role.NationalUnit;
                return true;
            case Analyst:
                role = Role.Analyst;
                return true;
            case Admin:
                role = Role.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
