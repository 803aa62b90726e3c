using Liberterra.Web.Audit;
using Liberterra.Web.Cli;
using Liberterra.Web.Dashboard;
using Liberterra.Web.DataSets;
using Liberterra.Web.Errors;
using Liberterra.Web.Hosting;
using Liberterra.Web.OpenApi;
using Liberterra.Web.Operations;
using Liberterra.Web.Returns;
using Liberterra.Web.Security;
using Liberterra.Web.Settings;

var builder = WebApplication.CreateBuilder(args);
var isCommand = KeysCommand.Matches(args) || UsersCommand.Matches(args) || CopyDatabaseCommand.Matches(args);

builder.AddSerilogLogging(toStandardError: isCommand);
builder.AddPersistence();
builder.AddDataProtectionKeys();
builder.AddApiKeyAuthentication();
builder.AddDashboardAuthentication();
builder.AddApiRateLimiting();
builder.AddApiDocumentation();
builder.AddHealth();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<DatabaseUnavailable>();
builder.AddDashboard();

var app = builder.Build();
try
{
    app.Services.ValidateSettings();
}
catch (Exception exception) when (SettingsExtensions.InvalidSettings(exception) is { Count: > 0 } problems)
{
    // One line per bad setting, and nothing else: the operator needs the key and what it may be, not a stack trace.
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync(problem);
    }

    return 1;
}

// copy-database only reads the configured database, so it must not migrate or seed it first.
if (!CopyDatabaseCommand.Matches(args))
{
    await app.PrepareDatabaseAsync();
}

if (isCommand)
{
    return args[0] switch
    {
        UsersCommand.Name => await UsersCommand.RunAsync(app.Services, args, UsersCommand.ReadPassword, Console.Out, Console.Error),
        KeysCommand.Name => await KeysCommand.RunAsync(app.Services, args, Console.Out, Console.Error),
        _ => await CopyDatabaseCommand.RunAsync(app.Services, args, Console.Out, Console.Error),
    };
}

app.UseRequestLogging();
app.UseDashboardSecurityHeaders();
app.UseExceptionHandler();
app.UseProblemStatusCodePages();
app.UseStaticFiles();
app.UseApiDocumentation();
app.UseRouting();
app.UseAuthentication();
app.UseWriteAudit();
app.UseRateLimiter();
app.UseAuthorization();
app.UseOutputCache();
app.MapHealth();
var api = app.MapGroup("/api/v1");
api.MapOperationsApi();
api.MapReturnsApi();
api.MapDataSetApi();
api.MapAuditApi();
app.MapDashboardExports();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
