using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// How a Redis member's term is derived from Sentinel config epochs. Each case is a pair of lines of
/// a recorded run (docs/systems.md) that the old rule turned into a term-regression.
/// </summary>
public sealed class RedisSentinelTermTests
{
    [Fact]
    public void Given_a_replica_whose_Sentinel_is_mid_failover_When_derived_Then_it_keeps_its_term_instead_of_0()
    {
        // n2 followed n3 in epoch 1; n3 was killed and n2's Sentinel, failing over, named no one.
        Assert.Equal(
            (Role.Follower, 1L),
            RedisSentinel.Derive(master: false, namedIn: null, ownEpoch: null, previous: 1));
    }

    [Fact]
    public void Given_a_primary_repromoted_before_a_Sentinel_names_it_When_derived_Then_it_is_a_candidate_of_its_term()
    {
        // n1, named in epoch 0 at the start, then a replica in epoch 2, reports master again while the
        // Sentinels' failover to it (epoch 3) is in flight: not a leader of epoch 0.
        Assert.Equal(
            (Role.Candidate, 2L),
            RedisSentinel.Derive(master: true, namedIn: 0, ownEpoch: null, previous: 2));
        Assert.Equal((Role.Leader, 3L), RedisSentinel.Derive(master: true, namedIn: 3, ownEpoch: 3, previous: 2));
    }

    [Fact]
    public void Given_a_primary_cut_off_before_the_majority_promotes_another_When_derived_Then_it_leads_its_own_epoch()
    {
        // The split brain a run must show: the old primary goes on leading epoch 0, and after a pause
        // a primary whose own Sentinel has heard of epoch 3 still leads the epoch it was named in.
        Assert.Equal((Role.Leader, 0L), RedisSentinel.Derive(master: true, namedIn: 0, ownEpoch: 0, previous: 0));
        Assert.Equal((Role.Leader, 2L), RedisSentinel.Derive(master: true, namedIn: 2, ownEpoch: 3, previous: 2));
    }

    [Fact]
    public void Given_a_replica_When_its_Sentinel_reports_a_newer_epoch_Then_it_takes_it_never_below_its_last_term()
    {
        Assert.Equal((Role.Follower, 4L), RedisSentinel.Derive(master: false, namedIn: 2, ownEpoch: 4, previous: 2));
        // Its own Sentinel lagging behind the epoch another Sentinel named it primary in does not lower it.
        Assert.Equal((Role.Follower, 2L), RedisSentinel.Derive(master: false, namedIn: 2, ownEpoch: 1, previous: 2));
    }

    [Fact]
    public void Given_a_first_probe_When_derived_Then_a_replica_is_in_epoch_0_and_an_unnamed_master_is_a_candidate()
    {
        Assert.Equal(
            (Role.Follower, 0L),
            RedisSentinel.Derive(master: false, namedIn: null, ownEpoch: null, previous: null));
        Assert.Equal(
            (Role.Candidate, 0L),
            RedisSentinel.Derive(master: true, namedIn: null, ownEpoch: null, previous: null));
    }
}
