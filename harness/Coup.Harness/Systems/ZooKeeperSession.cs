using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coup.Harness.Systems;

/// <summary>
/// A minimal ZooKeeper client speaking the server's own wire protocol (jute over TCP): a session
/// handshake, then one request at a time. Enough to write znodes the way any client does; the
/// reply header carries the zxid, whose high 32 bits are the epoch of the leader that committed it.
/// </summary>
public sealed class ZooKeeperSession : IAsyncDisposable
{
    public const int ClientPort = 2181;

    /// <summary>ZooKeeper's error codes that matter here.</summary>
    public static class Errors
    {
        public const int Ok = 0;
        public const int NoNode = -101;
        public const int NodeExists = -110;
    }

    private const int CreateOp = 1;
    private const int SetDataOp = 5;
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _xid;

    private ZooKeeperSession(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<ZooKeeperSession> ConnectAsync(
        IPAddress address, int sessionTimeoutMs, CancellationToken cancellation)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(address, ClientPort, cancellation);
            var session = new ZooKeeperSession(tcp);
            var request = new Jute().Int(0).Long(0).Int(sessionTimeoutMs).Long(0).Buffer(new byte[16]).Bool(false);
            await session.SendAsync(request, cancellation);
            var reply = await session.ReceiveAsync(cancellation);
            // protocolVersion, then the negotiated timeout: 0 or less means the server refused the session.
            if (reply.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(4)) <= 0)
            {
                throw new IOException($"{address} refused the session");
            }
            return session;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets a znode's data, creating it on first use; returns ZooKeeper's error code and the zxid of the reply.
    /// </summary>
    public async Task<(int Error, long Zxid)> WriteAsync(string path, byte[] data, CancellationToken cancellation)
    {
        var set = await RequestAsync(SetDataOp, new Jute().String(path).Buffer(data).Int(-1), cancellation);
        if (set.Error != Errors.NoNode)
        {
            return set;
        }
        var open = new Jute().Int(1).Int(31).String("world").String("anyone");
        var created = await RequestAsync(
            CreateOp, new Jute().String(path).Buffer(data).Raw(open).Int(0), cancellation);
        return created.Error == Errors.NodeExists
            ? await RequestAsync(SetDataOp, new Jute().String(path).Buffer(data).Int(-1), cancellation)
            : created;
    }

    private async Task<(int Error, long Zxid)> RequestAsync(int op, Jute body, CancellationToken cancellation)
    {
        var xid = ++_xid;
        await SendAsync(new Jute().Int(xid).Int(op).Raw(body), cancellation);
        while (true)
        {
            var reply = await ReceiveAsync(cancellation);
            var replyXid = BinaryPrimitives.ReadInt32BigEndian(reply);
            // Watch events (-1) and ping answers (-2) are not ours.
            if (replyXid == xid)
            {
                return (BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(12)),
                    BinaryPrimitives.ReadInt64BigEndian(reply.AsSpan(4)));
            }
        }
    }

    private async Task SendAsync(Jute packet, CancellationToken cancellation)
    {
        var body = packet.ToArray();
        var framed = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, body.Length);
        body.CopyTo(framed, 4);
        await _stream.WriteAsync(framed, cancellation);
    }

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellation)
    {
        var header = new byte[4];
        await _stream.ReadExactlyAsync(header, cancellation);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > 1 << 20)
        {
            throw new IOException($"implausible ZooKeeper packet length {length}");
        }
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, cancellation);
        return body;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Jute's big-endian encoding: ints, longs, length-prefixed strings and buffers.</summary>
    private sealed class Jute
    {
        private readonly MemoryStream _bytes = new();

        public Jute Int(int value)
        {
            Span<byte> span = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(span, value);
            _bytes.Write(span);
            return this;
        }

        public Jute Long(long value)
        {
            Span<byte> span = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(span, value);
            _bytes.Write(span);
            return this;
        }

        public Jute Bool(bool value)
        {
            _bytes.WriteByte(value ? (byte)1 : (byte)0);
            return this;
        }

        public Jute Buffer(byte[] value)
        {
            Int(value.Length);
            _bytes.Write(value);
            return this;
        }

        public Jute String(string value) => Buffer(Encoding.UTF8.GetBytes(value));

        public Jute Raw(Jute other)
        {
            _bytes.Write(other.ToArray());
            return this;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
