using System.Text.Json.Serialization;
using Liberterra.Web.Api;
using Liberterra.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddSerilogLogging();
builder.AddPersistence();
builder.AddApiDocumentation();
builder.AddHealth();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddRazorPages();

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseApiDocumentation();
app.MapHealth();
app.MapOperationsApi();
app.MapRazorPages();

await app.RunAsync();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
