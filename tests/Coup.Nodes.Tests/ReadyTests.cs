namespace Coup.Nodes.Tests;

/// <summary>
/// A Ready is taken after every tick and message. Its lists are made on first use and an empty batch is the
/// shared <see cref="Ready.Empty"/>; that must not change what a host sees, and adding nothing must leave a
/// batch empty, or the host would take an idle node for an acting one (and fire its ticks differently).
/// </summary>
public sealed class ReadyTests
{
    private static readonly NodeStatus Leading = new() { Role = Role.Leader, Term = 4, Leader = 1 };

    [Fact]
    public void Given_nothing_accumulated_When_a_node_takes_its_Ready_Then_it_hands_out_the_empty_one_keeping_its_own()
    {
        var ready = new Ready();
        var own = ready;

        var taken = Ready.Take(ref ready);

        Assert.Same(Ready.Empty, taken);
        Assert.Same(own, ready);
        Assert.True(taken.IsEmpty);
        Assert.Empty(taken.Messages);
        Assert.Empty(taken.StatusChanges);
        Assert.Empty(taken.AcknowledgedWrites);
        Assert.Empty(taken.RejectedWrites);
    }

    [Fact]
    public void Given_something_accumulated_When_a_node_takes_its_Ready_Then_it_hands_it_out_and_starts_a_new_one()
    {
        var ready = new Ready();
        var own = ready;
        ready.Reject(7);

        var taken = Ready.Take(ref ready);

        Assert.Same(own, taken);
        Assert.NotSame(own, ready);
        Assert.True(ready.IsEmpty);
        Assert.Equal([7L], taken.RejectedWrites);
    }

    [Fact]
    public void Given_empty_lists_When_they_are_added_Then_the_batch_stays_empty()
    {
        var ready = new Ready();

        ready.Send(Array.Empty<Message>());
        ready.Reject(Array.Empty<long>());
        ready.Acknowledge(Array.Empty<long>(), Leading);

        Assert.True(ready.IsEmpty);
        Assert.Same(Ready.Empty, Ready.Take(ref ready));
    }

    [Fact]
    public void Given_the_empty_Ready_When_anything_is_added_to_it_Then_it_refuses()
    {
        Assert.Throws<InvalidOperationException>(() => Ready.Empty.Reject(1));
        Assert.Throws<InvalidOperationException>(() => Ready.Empty.Acknowledge(1, Leading));
        Assert.Throws<InvalidOperationException>(() => Ready.Empty.Announce(Leading));
        Assert.Throws<InvalidOperationException>(() => Ready.Empty.Persist = HardState.Empty);
        Assert.True(Ready.Empty.IsEmpty);
    }

    [Fact]
    public void Given_two_statuses_of_one_group_When_both_are_announced_Then_the_later_one_replaces_the_first()
    {
        var ready = new Ready();
        var other = Leading with { Group = "p1" };

        ready.Announce(Leading with { Role = Role.Candidate });
        ready.Announce(other);
        ready.Announce(Leading);

        Assert.Equal([other, Leading], ready.StatusChanges);
    }
}
