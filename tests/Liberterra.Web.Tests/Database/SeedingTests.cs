using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>Seeding loads only what is absent and never touches returns submitted afterwards.</summary>
public sealed class SeedingTests : IDisposable
{
    private readonly TestDatabase database = new();

    private static string SeedDirectory => Path.Combine(AppContext.BaseDirectory, "seed-data");

    private LiberterraDbContext Context() => database.Context();

    private async Task SeedAsync()
    {
        await using var db = Context();
        await DatabaseSetup.PrepareAsync(db, SeedDirectory, NullLogger.Instance);
    }

    private async Task<(int Operations, int Returns, int Versions, int Countries)> CountAsync()
    {
        await using var db = Context();
        return (await db.Operations.CountAsync(), await db.Returns.CountAsync(), await db.ReturnVersions.CountAsync(), await db.Countries.CountAsync());
    }

    [Fact]
    public async Task SeedingTwiceLoadsEverythingExactlyOnce()
    {
        await SeedAsync();
        var first = await CountAsync();
        await SeedAsync();

        first.Should().Be((3, 119 * 12 + 116 + 47, 119 * 12 + 116 + 47, 249));
        (await CountAsync()).Should().Be(first);
    }

    [Fact]
    public async Task SeedingNeverTouchesAReturnAmendedAfterwards()
    {
        await SeedAsync();
        await using (var db = Context())
        {
            var spain = await db.Returns.SingleAsync(r => r.Country == "ESP" && r.Period == ReturnPeriod.Day(new DateOnly(2025, 11, 10)));
            spain.Values = spain.Values.With("arrests", 999);
            spain.Version = 2;
            spain.IsIllustrative = false;
            await db.SaveChangesAsync();
        }

        await SeedAsync();

        await using (var db = Context())
        {
            var spain = await db.Returns.SingleAsync(r => r.Country == "ESP" && r.Period == ReturnPeriod.Day(new DateOnly(2025, 11, 10)));
            spain.Values["arrests"].Should().Be(999);
            spain.Version.Should().Be(2);
        }
    }

    [Fact]
    public async Task AnAbsentOperationIsSeededAgainAndTheOthersAreLeftAlone()
    {
        await SeedAsync();
        await using (var db = Context())
        {
            await db.Operations.Where(o => o.Code == "liberterra-i").ExecuteDeleteAsync();
            await db.Returns.Where(r => r.Country == "ESP").ExecuteUpdateAsync(set => set.SetProperty(r => r.Notes, "kept"));
        }

        await SeedAsync();

        await using (var check = Context())
        {
            (await check.Operations.Select(o => o.Code).ToListAsync()).Should().BeEquivalentTo("liberterra-iii", "liberterra-ii", "liberterra-i");
            (await check.Returns.Where(r => r.Country == "ESP" && r.OperationId != check.Operations.Single(o => o.Code == "liberterra-i").Id)
                .AllAsync(r => r.Notes == "kept")).Should().BeTrue();
        }
    }

    [Fact]
    public async Task EverySeedReturnStartsAtVersionOneFromTheSeedAndIsMarkedIllustrative()
    {
        await SeedAsync();
        await using var db = Context();

        (await db.Returns.AllAsync(r => r.Version == 1 && r.IsIllustrative)).Should().BeTrue();
        (await db.ReturnVersions.AllAsync(v => v.Version == 1 && v.SubmittedBy == SeedLoader.SeedSubmitter && v.IsIllustrative)).Should().BeTrue();
        (await db.ReturnVersions.AllAsync(v => v.ChangedFields != null && v.ChangedFields != "")).Should()
            .BeTrue("a seed version's history says which fields it set, as a submitted first version's does");
    }

    public void Dispose() => database.Dispose();
}
