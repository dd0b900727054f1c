using System.Globalization;
using System.Net;
using Coup.History;
using Coup.Nodes;
using StackExchange.Redis;

namespace Coup.Harness.Systems;

/// <summary>
/// The workload's Redis client, a Sentinel-aware application server beside one member, through
/// StackExchange.Redis: before each write it asks that member's Sentinel (<c>SENTINEL MASTER</c>) for
/// the primary and its config epoch, then sends <c>SET</c> to that server. StackExchange.Redis's own
/// Sentinel mode (<c>serviceName=</c>) would pick the primary itself, but it tells neither which server
/// took a write nor in which epoch, which the history records; so the client asks, and names the server.
/// <para>
/// One connection (multiplexer) per server, opened on first use and kept: commands time out after
/// <see cref="WriteContract.TimeoutMs"/>, a command for a disconnected server fails at once instead of
/// waiting for the reconnect (no backlog), and reconnects are tried every second.
/// </para>
/// </summary>
public sealed class RedisWriter(SystemContext context, Member beside) : ISystemClient
{
    /// <summary>The workload keeps one write outstanding per process, so one caller at a time.</summary>
    private readonly Dictionary<EndPoint, Task<ConnectionMultiplexer>> _connections = [];
    private (Member Primary, long Epoch)? _belief;

    public async ValueTask<string?> ServerAsync(CancellationToken cancellation)
    {
        _belief = null;
        var sentinel = new IPEndPoint(beside.Address, RedisSentinel.SentinelPort);
        try
        {
            var connection = await ConnectionAsync(sentinel, CommandMap.Sentinel).WaitAsync(cancellation);
            var fields = await connection.GetServer(sentinel).SentinelMasterAsync(RedisSentinel.MasterName)
                .WaitAsync(cancellation);
            if (RedisSentinel.NamedPrimary(fields.ToDictionary(f => f.Key, f => (string?)f.Value)) is { } named
                && context.Members.FirstOrDefault(m => m.Address.Equals(named.Primary)) is { } primary)
            {
                _belief = (primary, named.Epoch);
            }
        }
        catch (Exception e) when (IsClientError(e))
        {
            // The Sentinel did not answer: the write below is refused for want of a primary.
        }
        return _belief?.Primary.Node ?? beside.Node;
    }

    public async ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation)
    {
        if (_belief is not { } belief)
        {
            return new SystemWrite(WriteOutcome.Fail($"the Sentinel on {beside.Node} named no primary"), null);
        }
        // The workload sends to the server ServerAsync named; a write sent elsewhere is still
        // recorded in the epoch of the Sentinel's answer the client acted on.
        var server = new IPEndPoint(context[node].Address, RedisSentinel.RedisPort);
        try
        {
            var connection = await ConnectionAsync(server, CommandMap.Default).WaitAsync(cancellation);
            // Sent to this server and no other: a write through the database would go wherever the
            // multiplexer believes the primary is.
            await connection.GetServer(server)
                .ExecuteAsync("SET", $"coup:{beside.Node}", value.ToString(CultureInfo.InvariantCulture))
                .WaitAsync(cancellation);
            return new SystemWrite(WriteOutcome.Ok(belief.Epoch), null);
        }
        catch (Exception e) when (IsClientError(e))
        {
            return new SystemWrite(Outcome(e), null);
        }
    }

    /// <summary>
    /// What a failed <c>SET</c> says about the write. A replica's <c>READONLY</c> reply, or the client's
    /// own refusal to send a write to a server it knows is a replica: the refusal of docs/history.md
    /// (the Sentinel's answer was stale). Certainly not done: any other error reply, or no connection
    /// to send it on. Anything else (a timeout, a connection lost after sending) may have been applied.
    /// </summary>
    public static WriteOutcome Outcome(Exception error) => error switch
    {
        RedisServerException e when e.Message.StartsWith("READONLY", StringComparison.Ordinal) =>
            WriteOutcome.Fail(OpErrors.NotLeaderSaying(e.Message)),
        RedisCommandException e when e.Message.StartsWith(ReplicaRefusal, StringComparison.Ordinal) =>
            WriteOutcome.Fail(OpErrors.NotLeaderSaying(e.Message)),
        RedisServerException e => WriteOutcome.Fail(e.Message),
        RedisConnectionException e when e.FailureType
            is ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection
            || e.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog =>
            WriteOutcome.Fail($"connection refused: {e.Message}"),
        _ => WriteOutcome.Info(error.Message),
    };

    /// <summary>How StackExchange.Redis refuses, before sending, a write to a server it knows is a replica.</summary>
    private const string ReplicaRefusal = "Command cannot be issued to a replica";

    /// <summary>What StackExchange.Redis raises for a command that did not succeed (its refusals included).</summary>
    private static bool IsClientError(Exception e) =>
        e is RedisException or RedisCommandException or TimeoutException or OperationCanceledException;

    private Task<ConnectionMultiplexer> ConnectionAsync(EndPoint server, CommandMap commands)
    {
        if (!_connections.TryGetValue(server, out var connection))
        {
            var options = new ConfigurationOptions
            {
                EndPoints = { server },
                CommandMap = commands,
                AbortOnConnectFail = false,
                ConnectTimeout = WriteContract.TimeoutMs,
                SyncTimeout = WriteContract.TimeoutMs,
                AsyncTimeout = WriteContract.TimeoutMs,
                BacklogPolicy = BacklogPolicy.FailFast,
                ReconnectRetryPolicy = new LinearRetry(1000),
                TieBreaker = "",
                ClientName = $"coup-{beside.Node}",
            };
            connection = ConnectionMultiplexer.ConnectAsync(options);
            _connections[server] = connection;
        }
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
        {
            try
            {
                await (await connection).DisposeAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // It never connected: nothing to close.
            }
        }
        _connections.Clear();
    }
}
