using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Liberterra.Web.OpenApi;

/// <summary>
/// A type that carries figures beside its own fields (a <c>[JsonExtensionData]</c> dictionary) is described as what it
/// is: its own fields, and further fields named by the operation's data set, each a whole number or, for a breakdown,
/// an object of whole numbers keyed by option; null for not reported. The codes are per operation, so the document
/// cannot list them: GET /api/v1/operations/{code}/dataset does.
/// </summary>
internal sealed class IndicatorFiguresSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete
            || context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.IsDefined(typeof(JsonExtensionDataAttribute))) is not { } figures)
        {
            return;
        }

        concrete.Properties?.Remove(JsonNamingPolicyName(figures.Name));
        concrete.AdditionalPropertiesAllowed = true;
        concrete.AdditionalProperties = new OpenApiSchema
        {
            Description = "One field per indicator of the operation's data set (GET /api/v1/operations/{code}/dataset): a whole number, "
                + "or for a breakdown an object of whole numbers keyed by option code. Null means not reported; 0 is reported zero.",
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64" },
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64" },
                },
            ],
        };
    }

    private static string JsonNamingPolicyName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
