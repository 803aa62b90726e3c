using Liberterra.Web.OpenApi;
using Liberterra.Web.Operations;
using Liberterra.Web.Writes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Liberterra.Web.Tests;

/// <summary>How <see cref="WritePipeline"/> is wired; what it answers is pinned by the write API's own tests.</summary>
public sealed class WritePipelineTests
{
    [Fact]
    public async Task AnEndpointWithThePipelineButNoWriteRequestFailsWhenItsEndpointsAreBuilt()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        app.MapPost("/forgot", (HttpContext http) => TypedResults.Ok())
            .WithWritePipeline<CreateOperationRequest>(RequestBody.ReturnLimit, ["application/json"]);

        var build = () => ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).ToList();

        build.Should().Throw<InvalidOperationException>().WithMessage("*no WriteRequest<CreateOperationRequest> parameter*");
    }

    [Fact]
    public async Task ThePipelineDocumentsTheBodyItReads()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        app.MapPost("/create", (WriteRequest<CreateOperationRequest> request) => TypedResults.Ok())
            .WithWritePipeline<CreateOperationRequest>(RequestBody.ReturnLimit, ["application/json"]);
        app.MapPost("/batch", (WriteRequest<IReadOnlyList<string>> request) => TypedResults.Ok())
            .WithWritePipeline<IReadOnlyList<string>>(RequestBody.BatchLimit, ["application/json", "text/csv"], (_, _) => ([], null), documentedAs: typeof(List<int>));

        var documented = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints)
            .Select(endpoint => endpoint.Metadata.GetRequiredMetadata<RequestBodyDoc>()).ToList();

        documented.Should().HaveCount(2);
        documented[0].Type.Should().Be<CreateOperationRequest>();
        documented[0].ContentTypes.Should().Equal("application/json");
        documented[1].Type.Should().Be<List<int>>();
        documented[1].ContentTypes.Should().Equal("application/json", "text/csv");
    }
}
