using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Liberterra.Web.Tests;

/// <summary>What the proxy does with one client connection.</summary>
public enum ChaosFault
{
    /// <summary>Forward the request and deliver the app's answer.</summary>
    Pass,

    /// <summary>Forward the request, take the app's whole answer (so the app has finished), then reset the client.</summary>
    ResetAfterAnswer,

    /// <summary>Forward the request, take the app's whole answer, and keep it until the client gives up.</summary>
    HoldPastTimeout,

    /// <summary>Read the request and reset the client; the app never sees it.</summary>
    ResetBeforeForwarding,
}

/// <summary>One client connection: the fault the proxy chose for it and, once the app has answered in full, the status it answered.</summary>
public sealed class ChaosConnection(ChaosFault fault)
{
    private volatile int appStatus;

    public ChaosFault Fault { get; } = fault;

    /// <summary>Null while (or if ever) the app has not answered; set before the client can see anything of the answer.</summary>
    public int? AppStatus => appStatus == 0 ? null : appStatus;

    internal void Answered(int status) => appStatus = status;
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the app, for clients that send one request per connection (Connection: close),
/// which the app answers and then closes. For each connection it picks a <see cref="ChaosFault"/> at random from a seed.
/// A client learns which one its connection got from <see cref="AcceptedAsync"/>, so a test can tell a response that was
/// lost after the app committed from one that never reached the app.
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint app;
    private readonly Random random;
    private readonly (ChaosFault Fault, int Weight)[] weights;
    private readonly TimeSpan holdLimit;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<ChaosConnection>> byClientPort = new();
    private readonly ConcurrentBag<Task> served = [];
    private readonly ConcurrentDictionary<ChaosFault, int> fired = new();
    private readonly Task accepting;

    /// <param name="holdLimit">How long a held answer waits for the client to give up before the proxy closes anyway.</param>
    public ChaosProxy(IPEndPoint app, int seed, IReadOnlyDictionary<ChaosFault, int> weights, TimeSpan holdLimit)
    {
        this.app = app;
        random = new Random(seed);
        this.weights = [.. weights.Select(w => (w.Key, w.Value))];
        this.holdLimit = holdLimit;
        listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        accepting = AcceptLoopAsync();
    }

    public Uri Address { get; }

    /// <summary>Every status the app answered through the proxy, delivered or not.</summary>
    public ConcurrentQueue<int> AppStatuses { get; } = new();

    public int Fired(ChaosFault fault) => fired.GetValueOrDefault(fault);

    /// <summary>
    /// The proxy's record of the connection whose client end has this local port, once the proxy has accepted it. The
    /// record is kept while the proxy serves the connection, so a later connection from the same port never finds it.
    /// </summary>
    public Task<ChaosConnection> AcceptedAsync(int clientPort, CancellationToken cancellationToken) =>
        Accepted(clientPort).Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        await Task.WhenAll(served).WaitAsync(TimeSpan.FromSeconds(30));
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new ChaosConnection(NextFault());
            fired.AddOrUpdate(connection.Fault, 1, (_, n) => n + 1);
            var port = ((IPEndPoint)client.Client.RemoteEndPoint!).Port;
            var accepted = Accepted(port);
            accepted.TrySetResult(connection);
            served.Add(ServeThenForgetAsync(client, connection, port, accepted));
        }
    }

    private async Task ServeThenForgetAsync(TcpClient client, ChaosConnection connection, int port, TaskCompletionSource<ChaosConnection> accepted)
    {
        try
        {
            await ServeAsync(client, connection);
        }
        finally
        {
            byClientPort.TryRemove(new(port, accepted));
        }
    }

    private TaskCompletionSource<ChaosConnection> Accepted(int clientPort) =>
        byClientPort.GetOrAdd(clientPort, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private ChaosFault NextFault()
    {
        var roll = random.Next(weights.Sum(w => w.Weight));
        foreach (var (fault, weight) in weights)
        {
            roll -= weight;
            if (roll < 0)
            {
                return fault;
            }
        }

        throw new InvalidOperationException("The weights must be positive.");
    }

    private async Task ServeAsync(TcpClient client, ChaosConnection connection)
    {
        using var _ = client;
        var token = stopping.Token;
        var fromClient = client.GetStream();
        if (connection.Fault == ChaosFault.ResetBeforeForwarding)
        {
            await Quietly(fromClient.ReadAsync(new byte[16 * 1024], token).AsTask());
            Reset(client);
            return;
        }

        using var upstream = new TcpClient();
        if (!await Quietly(upstream.ConnectAsync(app, token).AsTask()))
        {
            Reset(client);
            return;
        }

        var toApp = upstream.GetStream();
        var answer = new MemoryStream();

        // Forwarding ends when the client closes or resets its end; answering ends when the app has answered and closed.
        var forwarding = Quietly(fromClient.CopyToAsync(toApp, token));
        var answering = Quietly(toApp.CopyToAsync(answer, token));
        if (await Task.WhenAny(forwarding, answering) == forwarding || !await answering || StatusOf(answer) is not { } status)
        {
            // The client gave up before the app answered: closing the app's end aborts the request, as a real client's would.
            Reset(client);
            return;
        }

        connection.Answered(status);
        AppStatuses.Enqueue(status);
        switch (connection.Fault)
        {
            case ChaosFault.Pass:
                await Quietly(fromClient.WriteAsync(answer.GetBuffer().AsMemory(0, (int)answer.Length), token).AsTask());
                await Quietly(Task.WhenAny(forwarding, Task.Delay(holdLimit, token)));
                break;
            case ChaosFault.ResetAfterAnswer:
                Reset(client);
                break;
            default:
                await Quietly(Task.WhenAny(forwarding, Task.Delay(holdLimit, token)));
                Reset(client);
                break;
        }
    }

    /// <summary>The status code of a complete HTTP/1.1 answer ("HTTP/1.1 201 Created ..."), or null if there is none.</summary>
    private static int? StatusOf(MemoryStream answer)
    {
        var head = Encoding.ASCII.GetString(answer.GetBuffer(), 0, (int)Math.Min(answer.Length, 12));
        return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(head.AsSpan(9, 3), out var status) ? status : null;
    }

    /// <summary>Closes with a TCP reset (linger 0) rather than an orderly close, as a crashed peer or a middlebox would.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    /// <summary>Awaits socket work whose failure is expected here (the other side reset or closed), and says whether it succeeded.</summary>
    private static async Task<bool> Quietly(Task work)
    {
        try
        {
            await work;
            return true;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }
}
