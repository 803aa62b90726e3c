namespace Liberterra.Web.OpenApi;

/// <summary>
/// A header an endpoint reads from the request (<see cref="IsResponse"/> false) or sends with its success responses,
/// for the OpenAPI document: the framework cannot see headers a handler reads or writes by hand.
/// </summary>
public sealed record HeaderDoc(string Name, string Description, bool IsResponse = false);
