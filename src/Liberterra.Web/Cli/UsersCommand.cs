using System.Globalization;
using System.Net.Mail;
using System.Text;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Cli;

/// <summary>
/// `users add|list|disable`: dashboard accounts for analysts and admins, run by the app's own executable against the
/// same configuration (and so the same database) as the server. National units have API keys, never accounts. Only a
/// hash of the password is stored (ASP.NET Core Identity's PasswordHasher). Results go to stdout; prompts, errors and
/// the usage to stderr.
/// </summary>
public static class UsersCommand
{
    public const string Name = "users";
    public const int MinimumPasswordLength = 12;

    private const string Usage = """
        usage:
          users add --role analyst|admin --email someone@example.org
              The password is the first line of stdin if it is redirected; otherwise it is asked for.
          users list
          users disable --email someone@example.org
        """;

    public static bool Matches(string[] args) => args is [Name, ..];

    /// <param name="readPassword">Where `users add` gets the password; the executable passes <see cref="ReadPassword"/>.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, Func<string?> readPassword, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        switch (args)
        {
            case [_, "add", .. var options]:
                return await AddAsync(db, scope.ServiceProvider.GetRequiredService<IPasswordHasher<UserRecord>>(), options, readPassword, output, error);
            case [_, "list"]:
                return await ListAsync(db, output);
            case [_, "disable", "--email", var email]:
                return await DisableAsync(db, email, output, error);
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    /// <summary>The first line of stdin when it is redirected (a pipe or a file); otherwise typed twice, unechoed, at a prompt on stderr.</summary>
    public static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var password = PromptUnechoed("Password: ");
        if (PromptUnechoed("The same again: ") == password)
        {
            return password;
        }

        Console.Error.WriteLine("The two passwords differ.");
        return null;
    }

    private static async Task<int> AddAsync(
        LiberterraDbContext db, IPasswordHasher<UserRecord> hasher, string[] options, Func<string?> readPassword, TextWriter output, TextWriter error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            values[options[i]] = options[i + 1];
        }

        if (options.Length % 2 != 0 || values.Keys.Any(k => k is not ("--role" or "--email")))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (!RoleNames.TryParse(values.GetValueOrDefault("--role"), out var role) || !UserRecord.MayHaveRole(role))
        {
            await error.WriteLineAsync("--role must be analyst or admin. National units send returns with an API key (`keys issue`), not an account.");
            return 2;
        }

        var email = UserRecord.NormaliseEmail(values.GetValueOrDefault("--email") ?? string.Empty);
        if (email.Length > UserRecord.EmailLength || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            await error.WriteLineAsync("--email must be one email address, such as someone@example.org.");
            return 2;
        }

        // Checked before the password is asked for, so nobody types one in vain.
        if (await db.Users.AnyAsync(u => u.Email == email))
        {
            await error.WriteLineAsync($"There is already a user {email}; nothing was added.");
            return 1;
        }

        var password = readPassword();
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("No password was given; nothing was added.");
            return 2;
        }

        if (password.Length < MinimumPasswordLength)
        {
            await error.WriteLineAsync($"The password must be at least {MinimumPasswordLength} characters; nothing was added.");
            return 2;
        }

        var user = new UserRecord { Email = email, Role = role, PasswordHash = string.Empty, CreatedAt = DateTime.UtcNow };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        await output.WriteLineAsync($"Added {role.Name()} {email}.");
        return 0;
    }

    private static async Task<int> ListAsync(LiberterraDbContext db, TextWriter output)
    {
        // Sorted here, ordinally: the database's collation (on PostgreSQL, perhaps a locale's) must not decide the order.
        var users = (await db.Users.AsNoTracking().ToListAsync()).OrderBy(u => u.Email, StringComparer.Ordinal).ToList();
        var width = users.Select(u => u.Email.Length).Append("email".Length).Max();
        var now = DateTime.UtcNow;
        await output.WriteLineAsync($"{"email".PadRight(width)}  {"role",-7}  {"created (UTC)",-16}  {"disabled (UTC)",-16}  locked until (UTC)");
        foreach (var u in users)
        {
            var lockedUntil = u.LockedUntil > now ? u.LockedUntil : null;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{u.Email.PadRight(width)}  {u.Role.Name(),-7}  {Time(u.CreatedAt),-16}  {Time(u.DisabledAt),-16}  {Time(lockedUntil)}"));
        }

        return 0;
    }

    private static async Task<int> DisableAsync(LiberterraDbContext db, string emailText, TextWriter output, TextWriter error)
    {
        var email = UserRecord.NormaliseEmail(emailText);
        var disabled = await db.Users.Where(u => u.Email == email && u.DisabledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.DisabledAt, DateTime.UtcNow));
        if (disabled == 0)
        {
            await error.WriteLineAsync(await db.Users.AnyAsync(u => u.Email == email) ? $"{email} was already disabled." : $"There is no user {email}.");
            return 1;
        }

        await output.WriteLineAsync($"Disabled {email}. They cannot sign in, and a session they have ends within 1 s on every instance.");
        return 0;
    }

    private static string PromptUnechoed(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString();
    }

    private static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
}
