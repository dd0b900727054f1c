using System.Text.Json;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Streams every node's role/term changes from its control API and records each on receipt.
/// A broken stream (killed node, partition from the controller) is recorded and retried.
/// </summary>
public sealed class Observer(DockerCluster cluster, Recorder recorder, IReadOnlyList<string> nodes) : IClusterObserver
{
    private static readonly TimeSpan RetryGap = TimeSpan.FromMilliseconds(50);
    /// <summary>What each node last said on its event stream.</summary>
    public NodeWords Heard { get; } = new(nodes);

    /// <summary>
    /// Besides the streams, every node is polled this often: its clock reading for the skew plot, and its state in
    /// case a stream stalls.
    /// </summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long the final observation waits before asking again a node its stream contradicts.</summary>
    private static readonly TimeSpan FinalAskGap = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one poll of a node's status may take.</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(500);

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => FollowAsync(n, cancellation)).Append(PollAsync(cancellation)));

    private async Task PollAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(PollPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                await PollOnceAsync(cancellation);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private async Task FollowAsync(string node, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var up = true;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                connect.CancelAfter(TimeSpan.FromSeconds(1));
                using var response = await http.GetAsync(
                    cluster.EventsUri(node), HttpCompletionOption.ResponseHeadersRead, connect.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
                if (!up)
                {
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "up" });
                    up = true;
                }
                // Each line is the node's whole word; where it speaks for several groups, only the groups
                // that changed since the previous line of this connection are recorded.
                IReadOnlyList<NodeStatus> previous = [];
                while (await reader.ReadLineAsync(cancellation) is { } line)
                {
                    var report = JsonSerializer.Deserialize<StatusReport>(line, Wire.Json)!;
                    var statuses = report.Statuses();
                    var changed = report.Groups is null ? statuses : statuses.Except(previous).ToList();
                    Heard.Said(node, statuses, () =>
                    {
                        foreach (var status in changed)
                        {
                            recorder.Record(t => Events.State(t, node, status, report.NodeWallMs));
                        }
                    });
                    previous = statuses;
                }
                throw new IOException("event stream ended");
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested
                && e is HttpRequestException or IOException or OperationCanceledException or JsonException)
            {
                Heard.Lost(node);
                if (up)
                {
                    recorder.Record(
                        t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = e.Message });
                    up = false;
                }
                await Task.Delay(RetryGap, cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Asks every node once more; answers are recorded as <c>final</c> (FinalObservation).</summary>
    public async Task FinalObservationAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = PollTimeout };
        var final = new FinalObservation(Heard, recorder, FinalAskGap);
        await final.RunAsync(nodes, (node, token) => AskAsync(http, node, token), cancellation);
    }

    private async Task PollOnceAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = PollTimeout };
        await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var answer = await AskAsync(http, node, cancellation);
                // A poll never makes a node appear to go back to an older state (NodeWords).
                Heard.Polled(node, answer.Statuses, () =>
                {
                    foreach (var status in answer.Statuses)
                    {
                        recorder.Record(t => Events.State(t, node, status, answer.NodeWallMs, StateSources.Poll));
                    }
                });
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // A node that is down or paused does not answer a poll; its stream tells the story.
            }
        }));
    }

    private async Task<NodeAnswer> AskAsync(HttpClient http, string node, CancellationToken cancellation)
    {
        var json = await http.GetStringAsync(cluster.StatusUri(node), cancellation);
        var report = JsonSerializer.Deserialize<StatusReport>(json, Wire.Json)!;
        return new NodeAnswer(report.Statuses(), report.NodeWallMs);
    }
}

/// <summary>Records what each member says about its role and term, and keeps the latest.</summary>
public interface IClusterObserver
{
    /// <summary>What each node last said, kept by the rule that orders poll answers with it.</summary>
    NodeWords Heard { get; }

    /// <summary>What each node last said (in its first group), or null while it does not answer.</summary>
    IEnumerable<(string Node, NodeStatus? Status)> Latest => Heard.LatestInFirstGroup;

    /// <summary>
    /// What each node last said in every group it speaks for, nothing for a node that does not
    /// answer (stale claims included, as a client's metadata may be).
    /// </summary>
    IEnumerable<(string Node, NodeStatus Status)> Words => Heard.LatestInEveryGroup;

    Task RunAsync(CancellationToken cancellation);

    /// <summary>Asks every node once more after the final heal and records the answers as <c>final</c>.</summary>
    Task FinalObservationAsync(CancellationToken cancellation);
}
