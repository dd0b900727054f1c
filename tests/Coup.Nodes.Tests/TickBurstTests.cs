using Coup.Nodes;
using Coup.Nodes.Raft;

namespace Coup.Nodes.Tests;

/// <summary>
/// A node resumed from a pause, or whose clock jumped forward, fires the ticks it missed at once
/// (<see cref="TickClock"/>). Its overdue election timer expires then, but the timer it re-arms on
/// campaigning must not expire within the same burst: no answer can have reached it in between, and
/// a second campaign abandons the first one's votes (an amnesia's sleeper would never win the term it
/// asks for, hiding the two leaders the fault exists to show).
/// </summary>
public sealed class TickBurstTests
{
    private static readonly ClusterConfig Config = new() { Self = 1, Members = [1, 2, 3, 4, 5] };
    private const int JumpMs = 10_000;

    /// <summary>
    /// How many times a follower of n2 in term 3 campaigns when its clock jumps, <paramref name="ticksBeforeJump"/>
    /// ticks after its leader's heartbeat; <paramref name="dropAfterActing"/> false fires every tick due.
    /// </summary>
    private static long CampaignsInJump(int seed, int ticksBeforeJump, bool dropAfterActing = true)
    {
        var node = new RaftNode(Config, new HardState { Term = 3 }, new Random(seed));
        node.Step(new Heartbeat { From = 2, To = 1, Term = 3, Sequence = 1 });
        node.TakeReady();
        var clock = new TickClock(Config.TickMs, Config.ElectionTicksMax);
        clock.TicksDue(0);
        for (var tick = 1; tick <= ticksBeforeJump; tick++)
        {
            Assert.Equal(1, clock.TicksDue(tick * Config.TickMs));
            node.Tick();
        }
        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = 3, Leader = 2 }, node.Status);
        node.TakeReady();
        var jumpedMs = ticksBeforeJump * Config.TickMs + JumpMs;
        if (dropAfterActing)
        {
            clock.Fire(jumpedMs, () =>
            {
                node.Tick();
                return !node.TakeReady().IsEmpty;
            });
        }
        else
        {
            for (var due = clock.TicksDue(jumpedMs); due > 0; due--)
            {
                node.Tick();
            }
        }
        return node.Status.Term - 3;
    }

    [Fact]
    public void Given_followers_at_every_point_of_their_timeout_When_the_clock_jumps_Then_each_campaigns_exactly_once()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            for (var before = 0; before < Config.ElectionTicksMin; before++)
            {
                Assert.Equal(1, CampaignsInJump(seed, before));
            }
        }
    }

    [Fact]
    public void Given_every_tick_due_fired_When_the_clock_jumps_Then_some_follower_campaigns_twice()
    {
        // Why a burst stops at the first tick the node acts on: the campaign's own timer, re-armed
        // during the burst, can expire within it.
        var twice = Enumerable.Range(0, 200).Any(seed => Enumerable.Range(0, Config.ElectionTicksMin)
            .Any(before => CampaignsInJump(seed, before, dropAfterActing: false) == 2));
        Assert.True(twice);
    }

    [Fact]
    public void Given_a_burst_When_no_tick_makes_the_node_act_Then_every_tick_due_is_fired()
    {
        var clock = new TickClock(tickMs: 5, burstTicksMax: 60);
        clock.TicksDue(0);
        var fired = 0;

        clock.Fire(5 * 40, () =>
        {
            fired++;
            return false;
        });

        Assert.Equal(40, fired);
    }
}
