using Coup.Harness.Docker;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// The observer's rule that a poll answer never shows a node going back a term. Two container runs
/// under load were invalid by term-monotonic for this alone: a poll answer of term 29 was compared
/// with the stream's word (term 29), then stamped 55 ms after the stream's line of term 30.
/// </summary>
public sealed class NodeWordsTests
{
    private static readonly IReadOnlyList<NodeStatus> Term29 = [new() { Role = Role.Follower, Term = 29, Leader = 1 }];
    private static readonly IReadOnlyList<NodeStatus> Term30 =
        [new() { Role = Role.Follower, Term = 30, Leader = null }];

    [Fact]
    public void Given_a_stream_word_When_a_poll_answer_differs_from_it_Then_the_answer_is_not_recorded()
    {
        var words = new NodeWords(["n2"]);
        var recorded = new List<string>();
        words.Said("n2", Term30, () => recorded.Add("stream 30"));

        var kept = words.Polled("n2", Term29, () => recorded.Add("poll 29"));

        Assert.False(kept);
        Assert.Equal(["stream 30"], recorded);
    }

    [Fact]
    public void Given_a_lost_stream_When_a_node_is_polled_Then_nothing_is_recorded_until_the_stream_is_back()
    {
        var words = new NodeWords(["n2"]);
        words.Said("n2", Term29, () => { });
        words.Lost("n2");

        Assert.False(words.Polled("n2", Term29, () => Assert.Fail("recorded a poll while the stream was down")));
        Assert.Null(words.Latest("n2"));
    }

    [Fact]
    public async Task Given_an_agreeing_poll_answer_When_the_stream_moves_on_mid_record_Then_the_stream_line_follows()
    {
        var words = new NodeWords(["n2"]);
        words.Said("n2", Term29, () => { });
        var recorded = new List<string>();
        Task? stream = null;
        using var streamStarted = new ManualResetEventSlim();

        // The stream's next line arrives between the poll's comparison and its record: the poll's
        // thread is held (as a loaded machine deschedules it) until the stream has had every chance to record.
        var kept = words.Polled("n2", Term29, () =>
        {
            stream = Task.Run(() =>
            {
                streamStarted.Set();
                words.Said("n2", Term30, () => { lock (recorded) { recorded.Add("stream 30"); } });
            });
            streamStarted.Wait();
            Thread.Sleep(200);
            lock (recorded)
            {
                recorded.Add("poll 29");
            }
        });
        await stream!;

        Assert.True(kept);
        Assert.Equal(["poll 29", "stream 30"], recorded);
        Assert.Equal(Term30, words.Latest("n2"));
    }
}
