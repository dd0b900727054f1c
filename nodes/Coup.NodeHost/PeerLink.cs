using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Coup.Nodes;
using Coup.Nodes.Packets;

namespace Coup.NodeHost;

/// <summary>Where the node loop hands a message for one peer; it must not block the loop.</summary>
public interface IPeerLink
{
    void Send(PeerEnvelope envelope);
}

/// <summary>
/// The outbound connection to one peer. <see cref="Send"/> never blocks the algorithm: messages
/// wait in a bounded queue that drops the oldest, and a dead or unreachable link drops them.
/// A packet shape (<c>POST /packets</c>) loses, holds back, duplicates or reorders messages before
/// they are queued, as <see cref="ShapedLink{T}"/> decides from <paramref name="packets"/>.
/// </summary>
/// <param name="packets">The link's own random source for shaping (<see cref="Seeds.Packets"/>).</param>
public sealed class PeerLink(int peer, string address, Random packets, ILogger logger) : IPeerLink, IAsyncDisposable
{
    public const int QueueLengthMax = 256;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryGap = TimeSpan.FromMilliseconds(50);
    // Linux TCP_USER_TIMEOUT: give up on a connection whose data goes unacknowledged this long.
    private const int TcpUserTimeoutOption = 18;
    private const int TcpUserTimeoutMs = 1000;

    private readonly Channel<PeerEnvelope> _queue = Channel.CreateBounded<PeerEnvelope>(
        new BoundedChannelOptions(QueueLengthMax)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
    private readonly CancellationTokenSource _stop = new();
    private Task? _pump;

    public void Start() => _pump = Task.Run(() => PumpAsync(_stop.Token));

    private readonly ShapedLink<PeerEnvelope> _shaped = new(packets);

    public int Peer => peer;

    /// <summary>The shape on this link from now on; set from the control API's thread.</summary>
    public PacketShape Shape
    {
        get => _shaped.Shape;
        set => _shaped.Shape = value;
    }

    /// <summary>Called by the node loop alone, so the shaped link's decisions are made on one thread.</summary>
    public void Send(PeerEnvelope envelope)
    {
        var nowNs = (long)(Stopwatch.GetTimestamp() * NsPerTick);
        foreach (var delivery in _shaped.Send(envelope, nowNs))
        {
            var waitNs = delivery.AtNs - nowNs;
            if (waitNs <= 0)
            {
                _queue.Writer.TryWrite(envelope);
            }
            else
            {
                _ = HoldAsync(envelope, waitNs);
            }
        }
    }

    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    private async Task HoldAsync(PeerEnvelope envelope, long waitNs)
    {
        try
        {
            await Task.Delay(TimeSpan.FromTicks(waitNs / 100), _stop.Token);
            _queue.Writer.TryWrite(envelope);
        }
        catch (OperationCanceledException)
        {
            // The node is stopping: what was held back is lost, as in a dying process.
        }
    }

    private async Task PumpAsync(CancellationToken cancellation)
    {
        // Dialled at once rather than on the first message, so that a freshly started node's first
        // answer (a vote, say) does not wait for a cold connect.
        // A failed dial does not hold back the first message's own attempt.
        var client = await ConnectAsync(cancellation);
        var nextAttempt = DateTime.MinValue;
        await foreach (var envelope in _queue.Reader.ReadAllAsync(cancellation))
        {
            if (client is not null && (!client.Connected || PeerClosed(client)))
            {
                client.Dispose();
                client = null;
            }
            if (client is null)
            {
                if (DateTime.UtcNow < nextAttempt)
                {
                    continue;
                }
                client = await ConnectAsync(cancellation);
                if (client is null)
                {
                    nextAttempt = DateTime.UtcNow + RetryGap;
                    continue;
                }
            }
            var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(envelope, Wire.Types.PeerEnvelope) + "\n");
            if (!await TryWriteAsync(client, line, cancellation))
            {
                // The connection died under this message (a restarted peer): one fresh attempt, then drop it.
                client.Dispose();
                client = await ConnectAsync(cancellation);
                if (client is not null && !await TryWriteAsync(client, line, cancellation))
                {
                    client.Dispose();
                    client = null;
                }
            }
        }
        client?.Dispose();
    }

    /// <summary>
    /// The peer never writes, so a readable socket with nothing to read has been closed by it. Asked
    /// before each write because <see cref="WatchForCloseAsync"/> may not have run yet: a node
    /// resumed from a pause has both its close notice and its next message due at once.
    /// </summary>
    private static bool PeerClosed(TcpClient client)
    {
        try
        {
            return client.Client.Poll(0, SelectMode.SelectRead) && client.Client.Available == 0;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            return true;
        }
    }

    private async Task<bool> TryWriteAsync(TcpClient client, byte[] line, CancellationToken cancellation)
    {
        try
        {
            await client.GetStream().WriteAsync(line, cancellation);
            return true;
        }
        catch (Exception e)
            when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogInformation("link to n{Peer} lost: {Error}", peer, e.Message);
            return false;
        }
    }

    private async Task<TcpClient?> ConnectAsync(CancellationToken cancellation)
    {
        var client = new TcpClient { NoDelay = true };
        client.Client.SetRawSocketOption(
            (int)SocketOptionLevel.Tcp, TcpUserTimeoutOption, BitConverter.GetBytes(TcpUserTimeoutMs));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(ConnectTimeout);
            await client.ConnectAsync(address, Wire.PeerPort, timeout.Token);
            logger.LogInformation("link to n{Peer} up", peer);
            _ = WatchForCloseAsync(client, cancellation);
            return client;
        }
        catch (Exception e)
            when (e is SocketException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            client.Dispose();
            return null;
        }
    }

    /// <summary>
    /// The peer never writes on this connection, so a read returns only when it closes. A killed
    /// and restarted peer's old connection is noticed here at once instead of eating the next
    /// message (say, a vote) that would be written into it.
    /// </summary>
    private async Task WatchForCloseAsync(TcpClient client, CancellationToken cancellation)
    {
        var buffer = new byte[64];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cancellation) > 0)
            {
                // Nothing is expected; whatever arrives is discarded.
            }
        }
        catch (Exception e)
            when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed either way.
        }
        client.Client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_pump is not null)
        {
            await _pump.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _stop.Dispose();
    }
}
