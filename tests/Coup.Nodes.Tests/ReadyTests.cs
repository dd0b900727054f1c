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

    [Fact]
    public void Given_a_recycled_Ready_When_the_node_takes_its_next_Then_that_is_the_recycled_one_emptied()
    {
        var ready = new Ready();
        ready.Send(new Raft.Heartbeat { From = 1, To = 2, Term = 4, Sequence = 1 });
        ready.Announce(Leading);
        ready.Acknowledge(3, Leading);
        ready.Reject(4);
        ready.Persist = HardState.Empty;
        var first = Ready.Take(ref ready);
        var second = ready;

        first.Recycle();
        second.Reject(5);
        var taken = Ready.Take(ref ready);

        Assert.Same(second, taken);
        Assert.Same(first, ready);
        Assert.True(first.IsEmpty);
        Assert.Null(first.Persist);
        Assert.Empty(first.Messages);
        Assert.Empty(first.StatusChanges);
        Assert.Empty(first.AcknowledgedWrites);
        Assert.Empty(first.RejectedWrites);
        Assert.Same(Ready.Empty, Ready.Take(ref ready));
    }

    [Fact]
    public void Given_Readies_that_are_not_recycled_When_taken_Then_each_next_one_is_new()
    {
        var ready = new Ready();
        var seen = new HashSet<Ready>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 4; i++)
        {
            ready.Reject(i);
            Assert.True(seen.Add(Ready.Take(ref ready)));
        }

        Ready.Empty.Recycle();

        Assert.True(Ready.Empty.IsEmpty);
        Assert.DoesNotContain(ready, seen);
    }

    /// <summary>A host that takes a second batch before it recycles the first (a node acting within its own
    /// Ready) gets a new one; the first, recycled late, is never handed out while the host still reads it.</summary>
    [Fact]
    public void Given_a_Ready_recycled_late_When_more_are_taken_Then_none_is_handed_out_while_read()
    {
        var ready = new Ready();
        ready.Reject(1);
        var first = Ready.Take(ref ready);
        ready.Reject(2);
        var second = Ready.Take(ref ready);

        first.Recycle();
        ready.Reject(3);
        var third = Ready.Take(ref ready);

        Assert.NotSame(first, third);
        Assert.NotSame(second, third);
        Assert.Equal([2L], second.RejectedWrites);
    }
}
