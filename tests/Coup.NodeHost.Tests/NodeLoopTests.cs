using System.Threading.Channels;
using Coup.NodeHost;
using Coup.Nodes;
using Coup.Nodes.Raft;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coup.NodeHost.Tests;

/// <summary>
/// The node host's loop, in-process with a real Raft node and a real data directory; only the peer
/// links are replaced, by ones that record each message with what the data directory held at the
/// instant the message was handed over.
/// </summary>
public sealed class NodeLoopTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly ClusterConfig Config = new() { Self = 1, Members = [1, 2, 3] };

    private readonly string _directory = Directory.CreateTempSubdirectory("coup-node-loop-test-").FullName;

    public void Dispose()
    {
        if (File.Exists(_directory))
        {
            File.Delete(_directory);
        }
        else
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// A peer link that keeps what it was handed, with the hard state on disk at that instant (null
    /// when the data directory cannot be read).
    /// </summary>
    private sealed class RecordingLink(string directory) : IPeerLink
    {
        public Channel<(Message Message, HardState? OnDisk)> Sent { get; } =
            Channel.CreateUnbounded<(Message, HardState?)>();

        public void Send(PeerEnvelope envelope) => Sent.Writer.TryWrite((envelope.Message, OnDisk()));

        private HardState? OnDisk()
        {
            try
            {
                return new HardStateFile(directory).Load();
            }
            catch (IOException)
            {
                return null;
            }
        }

        public bool SentAnything => Sent.Reader.Count > 0;

        public async Task<(Message Message, HardState? OnDisk)> FirstAsync<T>()
        {
            using var timeout = new CancellationTokenSource(Wait);
            await foreach (var sent in Sent.Reader.ReadAllAsync(timeout.Token))
            {
                if (sent.Message is T)
                {
                    return sent;
                }
            }
            throw new InvalidOperationException("the link was closed");
        }
    }

    private (NodeLoop Loop, RecordingLink ToN2, RecordingLink ToN3) Host(HardStateFile hardState)
    {
        var node = new RaftNode(Config, hardState.Load(), new Random(1));
        var (toN2, toN3) = (new RecordingLink(_directory), new RecordingLink(_directory));
        var links = new Dictionary<int, IPeerLink> { [2] = toN2, [3] = toN3 };
        var loop = new NodeLoop(node, hardState, links, Config, NullLogger.Instance);
        return (loop, toN2, toN3);
    }

    [Fact]
    public async Task Given_a_vote_request_When_the_loop_answers_Then_the_vote_was_on_disk_before_the_answer_left()
    {
        // "Updated on stable storage before responding to RPCs" (Raft, Figure 2).
        var (loop, toN2, _) = Host(new HardStateFile(_directory));
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);

        loop.Post(new PeerEnvelope(0, 1, new RequestVote { From = 2, To = 1, Term = 4 }));
        var (answer, onDisk) = await toN2.FirstAsync<VoteResponse>();

        Assert.Equal(new VoteResponse { From = 1, To = 2, Term = 4, Granted = true }, answer);
        Assert.Equal(new HardState { Term = 4, VotedFor = 2 }, onDisk);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Given_a_failing_hard_state_write_When_the_node_must_persist_Then_nothing_leaves_and_it_stops()
    {
        var hardState = new HardStateFile(_directory);
        var (loop, toN2, toN3) = Host(hardState);
        // The data directory gone, and a file in its place: the temporary file cannot be created.
        Directory.Delete(_directory, recursive: true);
        await File.WriteAllTextAsync(_directory, "not a directory");
        using var stop = new CancellationTokenSource(Wait);

        var running = loop.RunAsync(stop.Token);
        loop.Post(new PeerEnvelope(0, 1, new RequestVote { From = 2, To = 1, Term = 4 }));

        await Assert.ThrowsAnyAsync<IOException>(() => running);
        Assert.False(toN2.SentAnything || toN3.SentAnything, "a message left before its hard state was written");
    }
}
