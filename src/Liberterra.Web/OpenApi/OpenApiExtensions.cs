using Liberterra.Web.Operations;
using Liberterra.Web.Security;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Liberterra.Web.OpenApi;

public static class OpenApiExtensions
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Liberterra API",
                Version = "v1",
                Description = "Returns and roll-ups of coordinated multinational police operations. Seeded operations reproduce "
                    + "the published totals exactly; their per-country and per-day split is an illustrative allocation, not published data. "
                    + "A null figure means not reported, which is different from 0. Errors are RFC 9457 problem details. "
                    + "Send an API key in X-Api-Key; see docs/api.md in the repository for roles, conventions and how to generate a client.",
                Contact = new OpenApiContact { Name = "Liberterra maintainers (issues and docs/api.md in the Liberterra repository)" },
                // The repository states no licence, so none is granted; this says so rather than inventing one.
                License = new OpenApiLicense { Name = "Proprietary: no licence is stated in the Liberterra repository" },
            });
            options.DocumentFilter<TagDescriptionsFilter>();
            options.OperationFilter<CsvIsTextFilter>();
            options.OperationFilter<RequestBodyFilter>();
            options.OperationFilter<HeadersFilter>();
            options.OperationFilter<AuthorizationResponsesFilter>();
            options.SchemaFilter<IndicatorFiguresSchemaFilter>();
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.AddSecurityDefinition(ApiKeyAuthentication.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.HeaderName,
                Description = "An API key issued with `keys issue`. Reads need one outside Development; writes always do.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.Scheme, document)] = [],
            });
        });
        return builder;
    }

    /// <summary>The OpenAPI document at /swagger/v1/swagger.json and Swagger UI at /swagger.</summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        // A relative server: a generated client then calls whatever host (and path base) served the document, or the
        // base address its HttpClient is given, rather than a host name baked in at generation time.
        app.UseSwagger(options => options.PreSerializeFilters.Add((document, request) =>
            document.Servers = [new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value : "/" }]));
        app.UseSwaggerUI(options => options.SwaggerEndpoint("/swagger/v1/swagger.json", "Liberterra API v1"));
        return app;
    }

    /// <summary>A description for every tag the endpoints use (<c>WithTags</c>); a test fails when a tag has none.</summary>
    private sealed class TagDescriptionsFilter : IDocumentFilter
    {
        private static readonly Dictionary<string, string> Descriptions = new()
        {
            ["Operations"] = "Operations and their roll-ups: totals, regions, countries, timeline and completeness. Admins create, finalize and reopen them.",
            ["Returns"] = "Each country's returns: submitted and amended by national units (or admins), one at a time or in batches, with every version kept.",
            ["Audit"] = "Every write attempt, accepted or rejected, for admins.",
            ["Data sets"] = "What each operation collects: its indicators, which name the figures of its returns and roll-ups. Admins add, change and remove them.",
        };

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            {
                tag.Description = tag.Name is { } name ? Descriptions.GetValueOrDefault(name) : null;
            }
        }
    }

    /// <summary>Describes a <see cref="RequestBodyDoc"/> body in the OpenAPI document.</summary>
    private sealed class RequestBodyFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault() is not { } body)
            {
                return;
            }

            var schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = body.ContentTypes.ToDictionary(
                    contentType => contentType,
                    contentType => new OpenApiMediaType
                    {
                        Schema = contentType == OperationsApi.CsvContentType
                            ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row of the same field names; an empty cell means not reported." }
                            : schema,
                    }),
            };
        }
    }

    /// <summary>A CSV response is text with a header row, not the JSON object its endpoint otherwise returns.</summary>
    private sealed class CsvIsTextFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.Responses is null)
            {
                return;
            }

            foreach (var response in operation.Responses.Values)
            {
                if (response.Content?.TryGetValue(OperationsApi.CsvContentType, out var csv) == true && csv is OpenApiMediaType media)
                {
                    media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row; an empty cell means not reported." };
                }
            }
        }
    }

    /// <summary>Declares the <see cref="HeaderDoc"/> headers: request headers as parameters, response headers on every 2xx.</summary>
    private sealed class HeadersFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var header in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<HeaderDoc>())
            {
                var schema = new OpenApiSchema { Type = JsonSchemaType.String };
                if (!header.IsResponse)
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter { Name = header.Name, In = ParameterLocation.Header, Description = header.Description, Schema = schema });
                    continue;
                }

                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (status.StartsWith('2') && response is OpenApiResponse concrete)
                    {
                        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                        concrete.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = schema };
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every endpoint that needs a key or a role says so in its responses: 401 without a valid key, 403 when the key's
    /// role may not do this, both as problem details; and, on /api, 429 when the key's rate limit is spent.
    /// </summary>
    private sealed class AuthorizationResponsesFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                return;
            }

            var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
            operation.Responses ??= [];
            foreach (var (status, description) in new[] { ("401", "Unauthorized"), ("403", "Forbidden"), ("429", "Too Many Requests") })
            {
                if (!operation.Responses.ContainsKey(status))
                {
                    operation.Responses[status] = new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                    };
                }
            }
        }
    }
}
