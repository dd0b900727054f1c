namespace Coup.Nodes.Tests;

/// <summary>
/// <see cref="QuorumRounds"/> releases a write once a quorum, the leader included, answered the round it waits
/// for or a later one. It counts without sorting; these tests hold it to the rule as first written (sort every
/// answer, the leader's as the highest, and take the quorum-th), on fixed cases and on random answer streams.
/// </summary>
public sealed class QuorumRoundsTests
{
    [Fact]
    public void Given_a_write_held_in_round_2_When_peers_answer_round_1_Then_it_waits_until_a_quorum_answers_round_2()
    {
        var rounds = new QuorumRounds(quorum: 3);
        rounds.NextRound();
        Assert.Empty(rounds.Hold(10));
        rounds.NextRound();
        Assert.Empty(rounds.Hold(20));

        Assert.Empty(rounds.Answered(2, 1));
        Assert.Equal([10L], rounds.Answered(3, 1));
        Assert.Empty(rounds.Answered(2, 2));
        Assert.Equal([20L], rounds.Answered(4, 2));
        Assert.Empty(rounds.Abandon());
    }

    [Fact]
    public void Given_a_quorum_of_one_When_a_write_is_held_Then_the_leader_alone_releases_it()
    {
        var rounds = new QuorumRounds(quorum: 1);
        rounds.NextRound();

        Assert.Equal([5L], rounds.Hold(5));
    }

    [Fact]
    public void Given_random_answer_streams_When_writes_are_held_and_answered_Then_releases_match_the_sorting_rule()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var quorum = random.Next(1, 5);
            var peers = random.Next(1, 7);
            var rounds = new QuorumRounds(quorum);
            var model = new SortingModel(quorum);
            long nextWrite = 1;
            for (var step = 0; step < 60; step++)
            {
                switch (random.Next(5))
                {
                    case 0:
                        rounds.NextRound();
                        model.Round++;
                        break;
                    case 1:
                        var write = nextWrite++;
                        Assert.Equal(model.Hold(write), rounds.Hold(write));
                        break;
                    case 2:
                        Assert.Equal(model.Abandon(), rounds.Abandon());
                        break;
                    default:
                        var peer = random.Next(2, peers + 2);
                        var round = random.NextInt64(0, model.Round + 1);
                        Assert.Equal(model.Answered(peer, round), rounds.Answered(peer, round));
                        break;
                }
            }
        }
    }

    /// <summary>The rule as first written: every answer sorted, the leader's counted as the highest.</summary>
    private sealed class SortingModel(int quorum)
    {
        private readonly Dictionary<int, long> _answered = [];
        private readonly List<(long WriteId, long Round)> _waiting = [];

        public long Round { get; set; }

        public List<long> Hold(long writeId)
        {
            _waiting.Add((writeId, Round));
            return Released();
        }

        public List<long> Answered(int peer, long round)
        {
            _answered[peer] = Math.Max(_answered.GetValueOrDefault(peer), round);
            return Released();
        }

        public List<long> Abandon()
        {
            var abandoned = _waiting.Select(w => w.WriteId).ToList();
            _waiting.Clear();
            return abandoned;
        }

        private List<long> Released()
        {
            var answers = _answered.Values.Append(long.MaxValue).OrderDescending().ToList();
            var confirmed = answers.Count >= quorum ? answers[quorum - 1] : 0;
            var released = _waiting.Where(w => w.Round <= confirmed).Select(w => w.WriteId).ToList();
            _waiting.RemoveAll(w => w.Round <= confirmed);
            return released;
        }
    }
}
