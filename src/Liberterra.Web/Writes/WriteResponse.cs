// Every answer a write to returns can give: its stored JSON response (201, 200, or a replay of either), a 400 with
// per-field errors, or any other problem (403, 404, 409, 412, 413, 415, 422, or a refused batch). Named once here, as a
// union the endpoints return, so OpenAPI learns from their signatures what they produce.
global using WriteResponse = Microsoft.AspNetCore.Http.HttpResults.Results<
    Liberterra.Web.Writes.StoredResponse,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
