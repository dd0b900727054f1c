using Coup.Faults;
using Coup.Nodes;
using Coup.Simulation;
using static Coup.Nodes.Tests.ZabSimulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// zab-early-claim, broken on purpose, against zab: the next claimer is cut off at the instant it
/// claims, which only the early claim turns into two leaders of one epoch.
/// </summary>
public sealed class ZabEarlyClaimTests
{
    public static TheoryData<int> Seeds => [1, 2, 3];

    /// <summary>What a schedule left behind: every claim, and each acknowledged write as (node, epoch).</summary>
    private sealed record Aftermath(
        Claims Claims, List<(string Node, long Epoch)> Acknowledged, string Isolated, string Successor);

    /// <summary>
    /// The leader crashes; the node that next claims leadership is cut off at the instant it
    /// claims (its messages still in flight are lost) and a client writes to it at once. The rest
    /// elect a successor, and a client writes to that one too.
    /// </summary>
    private static Aftermath IsolateTheNextClaimer(string algorithm, int seed)
    {
        var cluster = Settled(algorithm, seed);
        var claims = new Claims(cluster);
        var acknowledged = new List<(string, long)>();
        void WriteTo(string node, long writeId) =>
            cluster.Write(node, writeId, o => { if (o.Phase == "ok") { acknowledged.Add((node, o.Term!.Value)); } });
        string? isolated = null;
        cluster.StatusChanged += s =>
        {
            if (isolated is null && s.Status.Role == Role.Leader)
            {
                isolated = s.Node;
                cluster.Partition(Grudge.Isolate(s.Node, cluster.Names));
                WriteTo(s.Node, 1);
            }
        };

        cluster.Kill(SoleLeader(cluster));
        cluster.RunFor(Settle);
        var successor = SoleLeader(cluster);
        WriteTo(successor, 2);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        return new Aftermath(claims, acknowledged, isolated!, successor);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_zab_early_claim_When_the_next_claimer_is_cut_mid_claim_Then_two_lead_and_ack_writes_in_one_epoch(
        int seed)
    {
        // The flaw: NEWEPOCH(e') is claimed before "receiving ACKEPOCH from all followers in Q"
        // (Zab paper, Algorithm 1), so the majority, never having accepted e', proposes it again.
        var run = IsolateTheNextClaimer("zab-early-claim", seed);

        var epoch = Assert.Single(run.Claims.EpochsWithTwoLeaders);
        Assert.Contains((run.Isolated, epoch), run.Claims.Seen);
        Assert.Contains((run.Successor, epoch), run.Claims.Seen);
        Assert.Equal([(run.Isolated, epoch), (run.Successor, epoch)], run.Acknowledged);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_zab_When_the_next_claimer_is_cut_mid_claim_Then_one_leader_per_epoch_and_only_the_successor_acks(
        int seed)
    {
        // A quorum accepted the epoch before it was claimed, so the successor must propose a higher one.
        var run = IsolateTheNextClaimer("zab", seed);

        Assert.Empty(run.Claims.EpochsWithTwoLeaders);
        var (node, epoch) = Assert.Single(run.Acknowledged);
        Assert.Equal(run.Successor, node);
        Assert.Contains((run.Isolated, epoch - 1), run.Claims.Seen);
    }
}
