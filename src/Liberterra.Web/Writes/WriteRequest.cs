using System.Reflection;
using Liberterra.Web.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Liberterra.Web.Writes;

/// <summary>
/// A write's request as <see cref="WritePipeline"/> read it: the parsed body, the Idempotency-Key, the hash that tells a
/// retry of the same request from a new one, and the attempt the audit entry describes. Bound from the request by
/// <see cref="BindAsync"/>, on endpoints that have <see cref="WritePipeline.WithWritePipeline{TBody}"/>.
/// </summary>
public sealed class WriteRequest<TBody> : IBindableFromHttpContext<WriteRequest<TBody>>
    where TBody : class
{
    private readonly TBody? body;

    private WriteRequest(HttpContext http, WriteAttempt audit, TBody? body, IResult? refusal, string? idempotencyKey, bool idempotencyKeyIsValid, string requestHash)
    {
        (Http, Audit, this.body, Refusal, IdempotencyKey, IdempotencyKeyIsValid, RequestHash) = (http, audit, body, refusal, idempotencyKey, idempotencyKeyIsValid, requestHash);
    }

    public HttpContext Http { get; }

    /// <summary>What the audit entry will say about this attempt; the handler adds what it learns.</summary>
    public WriteAttempt Audit { get; }

    public TBody Body => body ?? throw new InvalidOperationException("The write pipeline refused this request, so no handler should see it.");

    /// <summary>The Idempotency-Key, or null when none was sent (or it is not valid).</summary>
    public string? IdempotencyKey { get; }

    /// <summary>
    /// False when an Idempotency-Key was sent but is not 1–200 visible ASCII characters. The write refuses that itself
    /// (<see cref="RefuseIdempotencyKey"/>), after its own 403 and 412, which clients have always met first.
    /// </summary>
    public bool IdempotencyKeyIsValid { get; }

    public string RequestHash { get; }

    /// <summary>The problem a refused request is answered with; null for one the handler gets.</summary>
    internal IResult? Refusal { get; }

    public ValidationProblem RefuseIdempotencyKey() =>
        ReturnProblems.Invalid(Http, new Dictionary<string, string[]> { [Idempotency.HeaderName] = ["Must be 1 to 200 visible ASCII characters."] });

    public static async ValueTask<WriteRequest<TBody>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rules = context.GetEndpoint()?.Metadata.GetMetadata<WritePipeline.Rules<TBody>>()
            ?? throw new InvalidOperationException($"{parameter?.Member.Name} takes a {nameof(WriteRequest<TBody>)} but its endpoint has no write pipeline.");
        var audit = WriteAudit.Attempt(context);
        if (rules.AuditPeriod is not null)
        {
            audit.Period = rules.AuditPeriod;
        }

        var (read, problem) = await RequestBody.ReadAsync(context.Request, rules.Limit, rules.MediaTypes, context.RequestAborted);
        if (problem is not null)
        {
            return new WriteRequest<TBody>(context, audit, null, problem, null, false, string.Empty);
        }

        var (value, errors) = rules.Parse(read!.Bytes, read.MediaType);
        if (errors is not null)
        {
            return new WriteRequest<TBody>(context, audit, null, ReturnProblems.Invalid(context, errors), null, false, string.Empty);
        }

        var keyIsValid = Idempotency.TryRead(context.Request, out var key);
        return new WriteRequest<TBody>(context, audit, value, null, keyIsValid ? key : null, keyIsValid, Idempotency.Hash(context.Request, read.Bytes));
    }
}
