using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Liberterra.Data;

/// <summary>
/// An EF compiled query, compiled once for each model it meets. EF binds a compiled query to the model it first runs
/// with and refuses any other ("executed with a different model"). A server has one model, but a process hosting the
/// app on both providers has two: CopyDatabaseTests runs a SQLite source beside its PostgreSQL copy, and a query held
/// in one static field would work for whichever ran first and fail for the other.
/// </summary>
/// <param name="compile">Compiles the query, e.g. with <see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, CancellationToken, TResult}})"/>.</param>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : Delegate
{
    private readonly ConcurrentDictionary<IModel, TQuery> compiled = new();

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return compiled.GetOrAdd(db.Model, _ => compile());
    }
}
