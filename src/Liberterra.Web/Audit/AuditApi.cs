using Liberterra.Core.Countries;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Errors;
using Liberterra.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Web.Audit;

/// <summary>The audit log of write attempts, newest first, for admins.</summary>
public static class AuditApi
{
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        audit.MapGet(string.Empty, ReadAudit).WithName("ReadAudit")
            .WithSummary("Write attempts, accepted or rejected, newest first. Filter by operation, country, outcome, keyId and a from/to time; page with beforeId.")
            .ProducesValidationProblem();
        return audit;
    }

    private static async Task<Results<Ok<AuditPageDto>, ValidationProblem>> ReadAudit(
        LiberterraDbContext db, CancellationToken cancellationToken,
        string? operation = null, string? country = null, string? outcome = null, long? keyId = null,
        DateTime? from = null, DateTime? to = null, long? beforeId = null, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be from 1 to {MaxLimit}."] });
        }

        string? alpha3 = null;
        if (country is not null && !CountryCode.TryNormalize(country, out alpha3))
        {
            return ApiProblems.BadCountryCode("country");
        }

        if (!DatabaseText.CanStore(operation) || !DatabaseText.CanStore(outcome))
        {
            return TypedResults.Ok(new AuditPageDto([], null));
        }

        IQueryable<AuditEntryRecord> query = db.AuditEntries.AsNoTracking();
        query = operation is null ? query : query.Where(a => a.Operation == operation);
        query = alpha3 is null ? query : query.Where(a => a.Country == alpha3);
        query = outcome is null ? query : query.Where(a => a.Outcome == outcome);
        query = keyId is null ? query : query.Where(a => a.KeyId == keyId);
        query = from is null ? query : query.Where(a => a.At >= from.Value.ToUniversalTime());
        query = to is null ? query : query.Where(a => a.At < to.Value.ToUniversalTime());
        query = beforeId is null ? query : query.Where(a => a.Id < beforeId);
        var entries = await query.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPageDto(
            entries.Select(a => new AuditEntryDto(a.Id, a.At, a.KeyId, a.KeyLabel, a.Role, a.Action, a.Operation, a.Country, a.Period, a.Outcome, a.StatusCode, a.Reason)).ToList(),
            entries.Count == limit ? entries[^1].Id : null));
    }
}
