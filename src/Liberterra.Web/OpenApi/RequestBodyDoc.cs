namespace Liberterra.Web.OpenApi;

/// <summary>
/// Documents an endpoint's request body for OpenAPI without the routing side effect of <c>.Accepts()</c>, which would
/// refuse other content types before the endpoint runs, and so before the endpoint can explain and audit the 415.
/// </summary>
public sealed record RequestBodyDoc(Type Type, IReadOnlyList<string> ContentTypes);
