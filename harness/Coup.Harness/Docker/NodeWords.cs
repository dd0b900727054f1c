using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// What each node last said on its event stream, in every group it speaks for (its first group
/// first), and the rule that keeps a poll answer from contradicting it. A node's word is compared,
/// changed and recorded under that node's lock: a poll answer that agreed with the stream when
/// compared was otherwise stamped after a newer stream line whenever the poll's thread was
/// descheduled in between (a loaded machine), and the node seemed to go back a term.
/// </summary>
public sealed class NodeWords(IReadOnlyList<string> nodes)
{
    private sealed class Word
    {
        public readonly Lock Lock = new();
        public volatile IReadOnlyList<NodeStatus>? Latest;
    }

    private readonly Dictionary<string, Word> _words = nodes.ToDictionary(n => n, _ => new Word());

    /// <summary>What the node last said on its stream, or null while the stream is down.</summary>
    public IReadOnlyList<NodeStatus>? Latest(string node) => _words[node].Latest;

    /// <summary>What each node last said in its first group, or null while its stream is down.</summary>
    public IEnumerable<(string Node, NodeStatus? Status)> LatestInFirstGroup => nodes.Select(n => (n, Latest(n)?[0]));

    /// <summary>What each node last said in every group it speaks for; nothing while its stream is down.</summary>
    public IEnumerable<(string Node, NodeStatus Status)> LatestInEveryGroup =>
        nodes.SelectMany(n => (Latest(n) ?? []).Select(s => (n, s)));

    /// <summary>
    /// A stream line: the node's new word, recorded (by <paramref name="record"/>) before any poll
    /// answer is compared with it.
    /// </summary>
    public void Said(string node, IReadOnlyList<NodeStatus> statuses, Action record)
    {
        var word = _words[node];
        lock (word.Lock)
        {
            word.Latest = statuses;
            record();
        }
    }

    /// <summary>The node's stream broke: until it is back, no poll answer agrees with it.</summary>
    public void Lost(string node) => _words[node].Latest = null;

    /// <summary>
    /// A poll answer, recorded (by <paramref name="record"/>) only if it agrees with the stream's
    /// word: one that differs may have been overtaken by the stream, which tells the story in order.
    /// </summary>
    /// <returns>Whether it was recorded.</returns>
    public bool Polled(string node, IReadOnlyList<NodeStatus> answer, Action record)
    {
        var word = _words[node];
        lock (word.Lock)
        {
            if (word.Latest?.SequenceEqual(answer) != true)
            {
                return false;
            }
            record();
            return true;
        }
    }

    /// <summary>
    /// An answer of the final observation, by the poll's rule with one difference: recorded (by
    /// <paramref name="record"/>) if it agrees with the stream's word, and also while the stream is
    /// down, when it is the only word of the node's final state and no stream line can contradict it.
    /// </summary>
    /// <returns>Whether it was recorded; false when the stream is up and says otherwise.</returns>
    public bool Finally(string node, IReadOnlyList<NodeStatus> answer, Action record)
    {
        var word = _words[node];
        lock (word.Lock)
        {
            if (word.Latest is { } latest && !latest.SequenceEqual(answer))
            {
                return false;
            }
            record();
            return true;
        }
    }
}
