using System.Text.Json;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// The final observation both observers share, without Docker: answers come from a script, the
/// stream's word is set on <see cref="NodeWords"/> as the observer's stream would set it.
/// </summary>
public sealed class FinalObservationTests : IDisposable
{
    private static readonly IReadOnlyList<NodeStatus> Term29 = [new() { Role = Role.Leader, Term = 29, Leader = 2 }];
    private static readonly IReadOnlyList<NodeStatus> Term30 = [new() { Role = Role.Follower, Term = 30, Leader = 3 }];
    private readonly string _path =
        Path.Combine(Directory.CreateTempSubdirectory("coup-final-test-").FullName, "history.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    /// <summary>
    /// Runs the final observation of n2 with <paramref name="answers"/> given in turn; returns what was recorded.
    /// </summary>
    private async Task<(List<HistoryEvent> Recorded, int Asked)> ObserveN2(
        NodeWords words, params Func<NodeAnswer>[] answers)
    {
        var asked = 0;
        using (var recorder = new Recorder(new HistoryWriter(_path), () => asked))
        {
            var final = new FinalObservation(words, recorder, TimeSpan.FromMilliseconds(1));
            await final.RunAsync(["n2"], (_, _) => Task.FromResult(answers[asked++]()), CancellationToken.None);
        }
        var recorded = File.ReadLines(_path)
            .Select(l => JsonSerializer.Deserialize<HistoryEvent>(l, HistoryJson.Options)!);
        return ([.. recorded], asked);
    }

    [Fact]
    public async Task Given_an_overtaken_answer_When_observed_finally_Then_the_node_is_asked_again_and_agreement_kept()
    {
        var words = new NodeWords(["n2"]);
        words.Said("n2", Term30, () => { });

        var (recorded, asked) = await ObserveN2(words, () => new(Term29, 7), () => new(Term30, 8));

        Assert.Equal(2, asked);
        var final = Assert.IsType<StateObserved>(Assert.Single(recorded));
        Assert.Equal(("n2", 30L, StateSources.Final, 8L), (final.Node, final.Term, final.Source, final.NodeWallMs));
    }

    [Fact]
    public async Task Given_answers_the_stream_contradicts_When_observed_finally_Then_none_is_kept_after_the_last_ask()
    {
        var words = new NodeWords(["n2"]);
        words.Said("n2", Term30, () => { });

        var (recorded, asked) = await ObserveN2(
            words, [.. Enumerable.Repeat<Func<NodeAnswer>>(() => new(Term29, null), FinalObservation.AsksMax)]);

        Assert.Equal(FinalObservation.AsksMax, asked);
        Assert.Empty(recorded);
    }

    [Fact]
    public async Task Given_a_lost_stream_When_the_node_answers_finally_Then_its_answer_is_recorded_as_final()
    {
        var words = new NodeWords(["n2"]);
        words.Said("n2", Term29, () => { });
        words.Lost("n2");

        var (recorded, _) = await ObserveN2(words, () => new(Term30, null));

        var final = Assert.IsType<StateObserved>(Assert.Single(recorded));
        Assert.Equal((30L, StateSources.Final), (final.Term, final.Source));
    }

    [Fact]
    public async Task Given_a_node_that_does_not_answer_When_observed_finally_Then_the_observer_records_it_down()
    {
        var words = new NodeWords(["n2"]);

        var (recorded, _) = await ObserveN2(words, () => throw new HttpRequestException("connection refused"));

        var down = Assert.IsType<ObserverEvent>(Assert.Single(recorded));
        Assert.Equal(("n2", ObserverPhases.Down, "final observation: connection refused"),
            (down.Node, down.Phase, down.Detail));
    }
}
