using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// What a node answered when asked for its state: its status in every group, and its wall clock if it said.
/// </summary>
public sealed record NodeAnswer(IReadOnlyList<NodeStatus> Statuses, long? NodeWallMs);

/// <summary>
/// The final observation, the same for every observer: after the final heal each node is asked once
/// more and its answer recorded as <c>final</c> by <see cref="NodeWords.Finally"/>, so it never
/// contradicts a newer stream line. An answer that the stream contradicts may have been overtaken,
/// or be ahead of a stream line still on its way: the node is asked again, <paramref name="askGap"/>
/// later, at most <see cref="AsksMax"/> times; if they never agree, the stream's word stands and
/// nothing more is recorded. A node that does not answer is recorded as an observer <c>down</c>.
/// </summary>
public sealed class FinalObservation(NodeWords words, Recorder recorder, TimeSpan askGap)
{
    /// <summary>How many times a node whose answers its stream contradicts is asked.</summary>
    public const int AsksMax = 5;

    public Task RunAsync(
        IEnumerable<string> nodes, Func<string, CancellationToken, Task<NodeAnswer>> ask,
        CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(node => ObserveAsync(node, ask, cancellation)));

    private async Task ObserveAsync(
        string node, Func<string, CancellationToken, Task<NodeAnswer>> ask, CancellationToken cancellation)
    {
        try
        {
            for (var asked = 1; ; asked++)
            {
                var answer = await ask(node, cancellation);
                void Record()
                {
                    foreach (var status in answer.Statuses)
                    {
                        recorder.Record(t => Events.State(t, node, status, answer.NodeWallMs, StateSources.Final));
                    }
                }
                if (words.Finally(node, answer.Statuses, Record) || asked == AsksMax)
                {
                    return;
                }
                await Task.Delay(askGap, cancellation);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            recorder.Record(t => new ObserverEvent
            {
                TimeNs = t,
                Node = node,
                Phase = ObserverPhases.Down,
                Detail = $"final observation: {e.Message}",
            });
        }
    }
}
