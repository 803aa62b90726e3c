using Liberterra.Web.OpenApi;

namespace Liberterra.Web.Writes;

/// <summary>
/// What every write endpoint does with its request before its own rules, packaged once: the body read within a size
/// limit and of an allowed media type (413, 415), parsed strictly (400 with per-field errors), the Idempotency-Key read
/// and the request hashed for it, and the audit entry opened. A handler declares a <see cref="WriteRequest{TBody}"/>
/// parameter and gets the parsed request; a refused one never reaches it. The transaction, the idempotent replay and
/// the check that the operation is open are not here: they need the database's current state, and have their turn in
/// <see cref="ReturnCommitter"/>, the one place that commits returns.
/// </summary>
public static class WritePipeline
{
    /// <summary>
    /// Reads the endpoint's body as <typeparamref name="TBody"/>: strict JSON unless <paramref name="parse"/> says
    /// otherwise (it gets the bytes and the media type). <paramref name="documentedAs"/> is the body's type in the
    /// OpenAPI document when it differs from <typeparamref name="TBody"/>; <paramref name="auditPeriod"/> is what the
    /// audit entry names as the period for every attempt, refused or not.
    /// </summary>
    public static RouteHandlerBuilder WithWritePipeline<TBody>(
        this RouteHandlerBuilder builder, int limit, IReadOnlyList<string> mediaTypes,
        Func<byte[], string, (TBody? Body, Dictionary<string, string[]>? Errors)>? parse = null, Type? documentedAs = null, string? auditPeriod = null)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(mediaTypes);
        builder.WithMetadata(
            new Rules<TBody>(limit, mediaTypes, parse ?? ((bytes, _) => StrictJson.Deserialize<TBody>(bytes)), auditPeriod),
            new RequestBodyDoc(documentedAs ?? typeof(TBody), mediaTypes));

        // The request is read while the handler's parameters are bound (WriteRequest's BindAsync); this answers for a
        // refused one, so that no handler has to check.
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var index = Array.FindIndex(context.MethodInfo.GetParameters(), parameter => parameter.ParameterType == typeof(WriteRequest<TBody>));
            if (index < 0)
            {
                throw new InvalidOperationException($"{context.MethodInfo.Name} has the write pipeline but no {nameof(WriteRequest<TBody>)}<{typeof(TBody).Name}> parameter.");
            }

            return invocation => invocation.GetArgument<WriteRequest<TBody>>(index).Refusal is { } refusal
                ? ValueTask.FromResult<object?>(refusal)
                : next(invocation);
        });
        return builder;
    }

    /// <summary>How one endpoint's body is read, kept in its metadata for <see cref="WriteRequest{TBody}"/>.</summary>
    internal sealed record Rules<TBody>(
        int Limit, IReadOnlyList<string> MediaTypes, Func<byte[], string, (TBody? Body, Dictionary<string, string[]>? Errors)> Parse, string? AuditPeriod)
        where TBody : class;
}
