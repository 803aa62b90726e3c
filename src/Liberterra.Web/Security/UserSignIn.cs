using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Settings;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Security;

/// <summary>
/// Checks a dashboard sign-in. Every refusal looks the same to the caller (unknown email, wrong password, disabled or
/// locked account) and costs the same: an unknown email is checked against a stand-in hash, so timing does not tell
/// which emails exist. Two throttles:
/// <list type="bullet">
/// <item>per account, in the database: SignIn:MaxFailuresPerAccount (5) wrong passwords in a row lock the account for
/// SignIn:LockoutMinutes (15), on every instance and across restarts, against guessing one person's password;</item>
/// <item>per client address, in memory: after SignIn:MaxFailuresPerClient (20) failures in 10 minutes the client is
/// refused outright, against one client trying many accounts.</item>
/// </list>
/// Passwords are never logged; failures are, with the email, at Warning.
/// </summary>
public sealed partial class UserSignIn : IDisposable
{
    private const string WrongPassword = "wrong password";
    private static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);
    private static readonly UserRecord NoUser = new() { Email = string.Empty, PasswordHash = string.Empty };

    private readonly IServiceScopeFactory scopes;
    private readonly IPasswordHasher<UserRecord> hasher;
    private readonly WriteGate gate;
    private readonly ILogger<UserSignIn> logger;
    private readonly int maxFailuresPerAccount;
    private readonly TimeSpan lockout;
    private readonly PartitionedRateLimiter<string> clientFailures;
    private readonly Lazy<string> noUserHash;

    public UserSignIn(IServiceScopeFactory scopes, IPasswordHasher<UserRecord> hasher, WriteGate gate, IOptions<SignInSettings> settings, ILogger<UserSignIn> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.scopes = scopes;
        this.hasher = hasher;
        this.gate = gate;
        this.logger = logger;
        maxFailuresPerAccount = settings.Value.MaxFailuresPerAccount;
        lockout = TimeSpan.FromMinutes(settings.Value.LockoutMinutes);
        var maxFailuresPerClient = settings.Value.MaxFailuresPerClient;
        clientFailures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = maxFailuresPerClient, Window = ClientWindow, QueueLimit = 0 }));
        noUserHash = new Lazy<string>(() => hasher.HashPassword(NoUser, RandomNumberGenerator.GetHexString(32)));
    }

    /// <param name="client">The client's address, for the per-client throttle.</param>
    public async Task<SignInAttempt> AttemptAsync(string email, string password, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        using (var lease = clientFailures.AttemptAcquire(client, permitCount: 0))
        {
            if (!lease.IsAcquired)
            {
                ClientThrottled(logger, client);
                return SignInAttempt.Throttled(ClientWindow);
            }
        }

        email = UserRecord.NormaliseEmail(email);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>();
        var user = DatabaseText.CanStore(email) ? await db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken) : null;

        // Verified whatever the account's state, so every refusal takes as long as a wrong password.
        var verdict = hasher.VerifyHashedPassword(user ?? NoUser, user?.PasswordHash ?? noUserHash.Value, password);
        var now = DateTime.UtcNow;
        var refusal = user switch
        {
            null => "no such user",
            { DisabledAt: not null } => "account disabled",
            { LockedUntil: { } until } when until > now => "account locked",
            _ when verdict == PasswordVerificationResult.Failed => WrongPassword,
            _ => null,
        };
        if (refusal is not null)
        {
            clientFailures.AttemptAcquire(client).Dispose();
            SignInFailed(logger, email, refusal);
            if (refusal == WrongPassword)
            {
                await RecordWrongPasswordAsync(db, user!, now);
            }

            return SignInAttempt.Refused;
        }

        // Accepted only if the account is still open and unlocked as the database sees it now: a lock set by parallel
        // wrong guesses after this request read the row must still stop it.
        var account = user!;
        var hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(account, password) : account.PasswordHash;
        var id = account.Id;
        var accepted = await gate.RunAsync(() => db.Users
            .Where(u => u.Id == id && u.DisabledAt == null && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.FailedSignIns, 0)
                .SetProperty(u => u.LockedUntil, (DateTime?)null)
                .SetProperty(u => u.PasswordHash, hash), cancellationToken), cancellationToken);
        if (accepted == 0)
        {
            clientFailures.AttemptAcquire(client).Dispose();
            SignInFailed(logger, email, "account locked or disabled meanwhile");
            return SignInAttempt.Refused;
        }

        SignedIn(logger, email, account.Role.Name());
        return SignInAttempt.SignedIn(DashboardAuthentication.PrincipalFor(account));
    }

    // One statement, counted by the database, so instances sharing it count together. Reaching the limit sets the
    // lock and starts the count again, so the account gets its full number of tries once the lock ends. Not cancelled
    // with the request: a guesser who drops the connection must not escape the count.
    private async Task RecordWrongPasswordAsync(LiberterraDbContext db, UserRecord user, DateTime now)
    {
        var until = now + lockout;
        await gate.RunAsync(() => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.LockedUntil, u => u.FailedSignIns + 1 >= maxFailuresPerAccount ? until : u.LockedUntil)
            .SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1 >= maxFailuresPerAccount ? 0 : u.FailedSignIns + 1)),
            CancellationToken.None);
        if (user.FailedSignIns + 1 >= maxFailuresPerAccount)
        {
            AccountLocked(logger, user.Email, until, maxFailuresPerAccount);
        }
    }

    public void Dispose() => clientFailures.Dispose();

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Failed sign-in for {Email}: {Reason}")]
    private static partial void SignInFailed(ILogger logger, string email, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Locked {Email} until {LockedUntil:u} after {Failures} wrong passwords in a row")]
    private static partial void AccountLocked(ILogger logger, string email, DateTime lockedUntil, int failures);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Refused a sign-in from {Client}: too many failed sign-ins from that address")]
    private static partial void ClientThrottled(ILogger logger, string client);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{Email} signed in as {Role}")]
    private static partial void SignedIn(ILogger logger, string email, string role);
}
