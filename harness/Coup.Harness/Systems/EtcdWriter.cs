using System.Globalization;
using System.Net.Sockets;
using Coup.History;
using Coup.Nodes;
using dotnet_etcd;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Coup.Harness.Systems;

/// <summary>
/// The workload's etcd client: dotnet-etcd (etcd's v3 gRPC API), one <see cref="EtcdClient"/> per
/// member, so that each put goes to the member <see cref="Run.WriteRouting"/> chose. etcd's clientv3
/// itself does not seek the leader: it balances over the endpoints it is given and the member that
/// receives a put forwards it to the leader. Here the put goes to the member the observer last saw
/// lead, so it seldom needs forwarding, and a follower that gets it still forwards it.
/// <para>
/// Each put is one attempt with a deadline of <see cref="WriteContract.TimeoutMs"/>: dotnet-etcd's
/// channels retry an unavailable call up to five times over about ten seconds, which would turn a
/// write to a dead member into a timeout long after the workload's next write. Each put carries
/// clientv3's require-leader mark, so a member that has lost its leader refuses at once
/// ("etcdserver: no leader") rather than holding the put until the deadline.
/// </para>
/// </summary>
public sealed class EtcdWriter(Etcd etcd, SystemContext context, int process) : ISystemClient
{
    /// <summary>clientv3's <c>WithRequireLeader</c>: the metadata key and value etcd's interceptor checks.</summary>
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    /// <summary>The workload keeps one write outstanding per process, so one caller at a time.</summary>
    private readonly Dictionary<string, EtcdClient> _clients = [];

    public async ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation)
    {
        var member = context[node];
        long term;
        try
        {
            var reply = await ClientOf(member).PutAsync(
                $"coup/{process}", value.ToString(CultureInfo.InvariantCulture),
                RequireLeader, DateTime.UtcNow.AddMilliseconds(WriteContract.TimeoutMs), cancellation);
            term = (long)reply.Header.RaftTerm;
        }
        catch (RpcException e)
        {
            return new SystemWrite(Outcome(e.Status), null);
        }
        return new SystemWrite(WriteOutcome.Ok(term), await etcd.LeaderInTermAsync(member, context, term));
    }

    /// <summary>
    /// What a put's error status says about the write. Refused by a member that does not lead
    /// ("etcdserver: not leader", which etcd answers to calls only a leader serves): the refusal of
    /// docs/history.md. Certainly not done: a member with no leader, too many requests, or no
    /// connection made. Anything else (a deadline, "request timed out", "leader changed", a
    /// connection lost mid-call) may have been committed: indeterminate.
    /// </summary>
    public static WriteOutcome Outcome(Status status) => status.StatusCode switch
    {
        StatusCode.FailedPrecondition
            when status.Detail.Contains("etcdserver: not leader", StringComparison.Ordinal) =>
            WriteOutcome.Fail(OpErrors.NotLeaderSaying(status.Detail)),
        StatusCode.Unavailable when status.Detail.Contains("etcdserver: no leader", StringComparison.Ordinal) =>
            WriteOutcome.Fail(status.Detail),
        StatusCode.ResourceExhausted => WriteOutcome.Fail(status.Detail),
        StatusCode.Unavailable when NeverConnected(status.DebugException) =>
            WriteOutcome.Fail($"connection refused: {status.DebugException!.Message}"),
        StatusCode.DeadlineExceeded => WriteOutcome.Info($"no answer within {WriteContract.TimeoutMs} ms"),
        _ => WriteOutcome.Info($"{status.StatusCode}: {status.Detail}"),
    };

    /// <summary>The call failed before a connection to the member existed, so nothing was sent.</summary>
    private static bool NeverConnected(Exception? error) => error switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable } => true,
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } => true,
        HttpRequestException { InnerException: { } inner } => NeverConnected(inner),
        _ => false,
    };

    private EtcdClient ClientOf(Member member)
    {
        if (!_clients.TryGetValue(member.Node, out var client))
        {
            client = new EtcdClient($"http://{member.Address}:{Etcd.ClientPort}", configureChannelOptions: options =>
            {
                // No retry policy: one attempt per write (see the class summary); one address, so pick-first.
                options.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } };
                options.ThrowOperationCanceledOnCancellation = false;
            });
            _clients[member.Node] = client;
        }
        return client;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _clients.Clear();
        return ValueTask.CompletedTask;
    }
}
