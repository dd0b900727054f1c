using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coup.Nodes;

namespace Coup.NodeHost;

/// <summary>
/// Accepts peers' connections and hands each message, one JSON line (a <see cref="PeerEnvelope"/>), to the node loop.
/// </summary>
public sealed class PeerListener(NodeLoop loop, int self, ILogger logger)
{
    public const int LineLengthMax = 64 * 1024;

    /// <summary>
    /// Writes and reads one envelope of every message type before the node takes part. The first
    /// use of a type builds its serialization metadata, which in a freshly started process on a
    /// loaded machine took long enough (a few hundred ms) that a restarted follower's election
    /// timer fired before it had read the leader's first heartbeat.
    /// </summary>
    public static void WarmUp()
    {
        foreach (var tag in Wire.MessageTypes.Keys)
        {
            try
            {
                var line = $"{{\"epoch\":0,\"hops\":0,\"message\":{{\"type\":\"{tag}\",\"from\":0,\"to\":0}}}}";
                var envelope = JsonSerializer.Deserialize(line, Wire.Types.PeerEnvelope)!;
                JsonSerializer.Serialize(envelope, Wire.Types.PeerEnvelope);
            }
            catch (JsonException)
            {
                // A message with more required members than these: its metadata is built all the same.
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        var listener = new TcpListener(IPAddress.Any, Wire.PeerPort);
        listener.Start();
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellation);
                _ = Task.Run(() => ReadAsync(client, cancellation), cancellation);
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ReadAsync(TcpClient client, CancellationToken cancellation)
    {
        using var _ = client;
        using var reader = new StreamReader(client.GetStream());
        try
        {
            while (await reader.ReadLineAsync(cancellation) is { } line)
            {
                if (line.Length > LineLengthMax)
                {
                    logger.LogWarning("dropping a peer connection: line of {Length} bytes", line.Length);
                    return;
                }
                var envelope = JsonSerializer.Deserialize(line, Wire.Types.PeerEnvelope);
                if (envelope?.Message is null || envelope.Message.To != self)
                {
                    logger.LogWarning("dropping a message not addressed to n{Self}: {Line}", self, line);
                    continue;
                }
                loop.Post(envelope);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException)
        {
            logger.LogDebug("peer connection closed: {Error}", e.Message);
        }
    }
}
