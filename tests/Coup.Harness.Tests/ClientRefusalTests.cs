using System.Net;
using System.Net.Sockets;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;
using Grpc.Core;
using StackExchange.Redis;

// RedisServerException(string) is obsolete in favour of one that takes an experimental error kind (ServerError).
#pragma warning disable CS0618

namespace Coup.Harness.Tests;

/// <summary>
/// How each maintained client's errors become a write's outcome: a refusal by a member that does not
/// lead is told apart from a write that certainly failed and from one that may have happened
/// (docs/history.md), with no server needed.
/// </summary>
public sealed class ClientRefusalTests
{
    [Fact]
    public void Given_etcd_answers_not_leader_When_classified_Then_it_is_a_not_leader_refusal()
    {
        var outcome = EtcdWriter.Outcome(new Status(StatusCode.FailedPrecondition, "etcdserver: not leader"));

        Assert.True(OpErrors.IsNotLeader(Completion(outcome)), outcome.Error);
        Assert.Equal("not leader: etcdserver: not leader", outcome.Error);
    }

    [Fact]
    public void Given_an_etcd_member_without_a_leader_When_it_refuses_Then_a_failure_not_a_refusal()
    {
        var outcome = EtcdWriter.Outcome(new Status(StatusCode.Unavailable, "etcdserver: no leader"));

        Assert.Equal(OpPhases.Fail, outcome.Phase);
        Assert.False(OpErrors.IsNotLeader(Completion(outcome)));
    }

    [Fact]
    public void Given_no_connection_to_an_etcd_member_When_classified_Then_the_write_failed()
    {
        var refused = new HttpRequestException(
            HttpRequestError.ConnectionError, "Connection refused (10.0.0.2:2379)");

        var outcome = EtcdWriter.Outcome(new Status(StatusCode.Unavailable, "Error starting gRPC call.", refused));

        Assert.Equal(OpPhases.Fail, outcome.Phase);
        Assert.StartsWith("connection refused: ", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, "etcdserver: request timed out")]
    [InlineData(StatusCode.Unavailable, "etcdserver: leader changed")]
    [InlineData(StatusCode.DeadlineExceeded, "Deadline Exceeded")]
    [InlineData(StatusCode.Cancelled, "Call canceled by the client.")]
    public void Given_an_etcd_put_that_may_have_been_committed_When_classified_Then_indeterminate(
        StatusCode code, string detail)
    {
        var outcome = EtcdWriter.Outcome(new Status(code, detail));

        Assert.Equal(OpPhases.Info, outcome.Phase);
    }

    [Fact]
    public void Given_a_redis_replica_answers_READONLY_When_classified_Then_a_not_leader_refusal()
    {
        var outcome = RedisWriter.Outcome(
            ServerError("READONLY You can't write against a read only replica."));

        Assert.True(OpErrors.IsNotLeader(Completion(outcome)), outcome.Error);
        Assert.Equal("not leader: READONLY You can't write against a read only replica.", outcome.Error);
    }

    [Fact]
    public void Given_the_client_knows_the_server_is_a_replica_When_it_refuses_Then_a_not_leader_refusal()
    {
        var outcome = RedisWriter.Outcome(
            new RedisCommandException("Command cannot be issued to a replica: SET coup:n1"));

        Assert.True(OpErrors.IsNotLeader(Completion(outcome)), outcome.Error);
    }

    [Fact]
    public void Given_another_redis_error_reply_When_classified_Then_a_failure_not_a_refusal()
    {
        var outcome = RedisWriter.Outcome(
            ServerError("OOM command not allowed when used memory > 'maxmemory'."));

        Assert.Equal(OpPhases.Fail, outcome.Phase);
        Assert.False(OpErrors.IsNotLeader(Completion(outcome)));
    }

    [Fact]
    public void Given_no_connection_to_a_redis_server_When_classified_Then_the_write_failed()
    {
        var outcome = RedisWriter.Outcome(new RedisConnectionException(
            ConnectionFailureType.UnableToResolvePhysicalConnection,
            CommandFlags.None, "No connection is active/available to service this operation: SET"));

        Assert.Equal(OpPhases.Fail, outcome.Phase);
        Assert.False(OpErrors.IsNotLeader(Completion(outcome)));
    }

    [Fact]
    public void Given_a_redis_write_sent_and_unanswered_When_classified_Then_it_is_indeterminate()
    {
        var timeout = RedisWriter.Outcome(
            new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent));
        var lost = RedisWriter.Outcome(new RedisConnectionException(
            ConnectionFailureType.SocketClosed, CommandFlags.None, "SocketClosed", null, CommandStatus.Sent));

        Assert.Equal(OpPhases.Info, timeout.Phase);
        Assert.Equal(OpPhases.Info, lost.Phase);
    }

    [Fact]
    public void Given_a_sentinel_reply_When_read_Then_the_primary_and_epoch_unless_failing_over()
    {
        var settled = new Dictionary<string, string?>
        {
            ["ip"] = "172.18.0.3",
            ["flags"] = "master",
            ["config-epoch"] = "2",
        };
        var failingOver = new Dictionary<string, string?>(settled) { ["flags"] = "master,failover_in_progress" };

        Assert.Equal((IPAddress.Parse("172.18.0.3"), 2L), RedisSentinel.NamedPrimary(settled));
        Assert.Null(RedisSentinel.NamedPrimary(failingOver));
        Assert.Null(RedisSentinel.NamedPrimary(new Dictionary<string, string?> { ["flags"] = "master" }));
    }

    /// <summary>
    /// An error reply as StackExchange.Redis raises it. Its other constructor takes an error kind that
    /// the library marks experimental; the kind plays no part in the classification.
    /// </summary>
    private static RedisServerException ServerError(string reply) => new(reply);

    private static ClientOp Completion(WriteOutcome outcome) =>
        new() { TimeNs = 0, Process = 0, Phase = outcome.Phase, Node = "n1", Value = 1, Error = outcome.Error };
}
