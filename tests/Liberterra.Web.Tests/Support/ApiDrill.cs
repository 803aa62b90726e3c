using System.Net;
using System.Text;
using System.Text.Json;
using Liberterra.Core.Security;

namespace Liberterra.Web.Tests;

/// <summary>
/// The setup the API tests share: keys for an admin, some national units and, if asked, an analyst, and an open
/// operation the admin creates through the API. The body that creates an operation is built here and nowhere else.
/// </summary>
public sealed class ApiDrill
{
    public const string StartDate = "2026-11-01";
    public const string EndDate = "2026-11-05";
    public const string AdminLabel = "Secretariat admin";
    public const string AnalystLabel = "Analyst desk";

    private readonly string? code;
    private readonly string? analystKey;

    private ApiDrill(LiberterraApp app, string? code, string adminKey, Dictionary<string, string> unitKeys, string? analystKey)
    {
        App = app;
        this.code = code;
        AdminKey = adminKey;
        UnitKeys = unitKeys;
        this.analystKey = analystKey;
    }

    /// <summary>The countries an operation takes part in unless a test names others.</summary>
    public static IReadOnlyList<string> Participants { get; } = ["ESP", "FRA", "SEN"];

    public LiberterraApp App { get; }

    /// <summary>The operation created with the keys.</summary>
    public string Code => code ?? throw new InvalidOperationException("This drill was created without an operation.");

    public string AdminKey { get; }

    /// <summary>The national-unit keys, by country.</summary>
    public IReadOnlyDictionary<string, string> UnitKeys { get; }

    public string AnalystKey => analystKey ?? throw new InvalidOperationException("This drill was created without an analyst key.");

    /// <summary>A new client with the admin key; the caller disposes it.</summary>
    public HttpClient Admin => App.ClientWithKey(AdminKey);

    /// <summary>A new client with the analyst key; the caller disposes it.</summary>
    public HttpClient Analyst => App.ClientWithKey(AnalystKey);

    /// <summary>A new client with the country's national-unit key; the caller disposes it.</summary>
    public HttpClient Unit(string country) => App.ClientWithKey(UnitKeys[country]);

    /// <summary>The label a national unit's key gets: the bureau's city for Spain and France, the country code otherwise.</summary>
    public static string UnitLabel(string country) => country switch
    {
        "ESP" => "NCB Madrid",
        "FRA" => "NCB Paris",
        _ => $"NCB {country}",
    };

    /// <summary>
    /// Issues the keys (an admin; a national unit for each of <paramref name="units"/>, Spain alone if none are named; an
    /// analyst if <paramref name="analyst"/>) and, unless <paramref name="code"/> is null, creates that open operation
    /// (<see cref="StartDate"/> to <see cref="EndDate"/>) with the admin key.
    /// </summary>
    public static async Task<ApiDrill> CreateAsync(
        LiberterraApp app, string? code = "drill", IEnumerable<string>? units = null, bool analyst = false, IEnumerable<string>? participants = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var adminKey = await app.IssueKeyAsync(Role.Admin, label: AdminLabel);
        var unitKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var country in units ?? ["ESP"])
        {
            unitKeys[country] = await app.IssueKeyAsync(Role.NationalUnit, country, UnitLabel(country));
        }

        var analystKey = analyst ? await app.IssueKeyAsync(Role.Analyst, label: AnalystLabel) : null;
        if (code is not null)
        {
            using var admin = app.ClientWithKey(adminKey);
            await CreateOperationAsync(admin, code, participants: participants);
        }

        return new ApiDrill(app, code, adminKey, unitKeys, analystKey);
    }

    /// <summary>The JSON body of POST /api/v1/operations; the name defaults to "Drill {code}".</summary>
    public static string OperationBody(
        string code, string? name = null, IEnumerable<string>? participants = null, string startDate = StartDate, string endDate = EndDate) =>
        JsonSerializer.Serialize(new { code, name = name ?? $"Drill {code}", startDate, endDate, participants = participants ?? Participants });

    /// <summary>Creates an open operation through the API (see <see cref="OperationBody"/>), checks it was created, and returns its code.</summary>
    public static async Task<string> CreateOperationAsync(
        HttpClient admin, string code, string? name = null, IEnumerable<string>? participants = null, string startDate = StartDate, string endDate = EndDate)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var body = new StringContent(OperationBody(code, name, participants, startDate, endDate), Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/api/v1/operations", body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return code;
    }
}
