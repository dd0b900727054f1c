using System.Text.Json;
using Coup.Checkers.History;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Streams every node's role/term changes from its control API and records each on receipt.
/// A broken stream (killed node, partition from the controller) is recorded and retried.
/// </summary>
public sealed class Observer(DockerCluster cluster, Recorder recorder, IReadOnlyList<string> nodes) : IClusterObserver
{
    private static readonly TimeSpan RetryGap = TimeSpan.FromMilliseconds(50);
    private readonly NodeWords _words = new(nodes);

    /// <summary>What each node last said (in its first group), or null while its stream is down.</summary>
    public IEnumerable<(string Node, NodeStatus? Status)> Latest => nodes.Select(n => (n, _words.Latest(n)?[0]));

    public IEnumerable<(string Node, NodeStatus Status)> Words =>
        nodes.SelectMany(n => (_words.Latest(n) ?? []).Select(s => (n, s)));

    /// <summary>Besides the streams, every node is polled this often: its clock reading for the skew plot, and its state in case a stream stalls.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => FollowAsync(n, cancellation)).Append(PollAsync(cancellation)));

    private async Task PollAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(PollPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                await PollOnceAsync("poll", cancellation);
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
                using var response = await http.GetAsync(cluster.EventsUri(node), HttpCompletionOption.ResponseHeadersRead, connect.Token);
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
                    _words.Said(node, statuses, () =>
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
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException or JsonException)
            {
                _words.Lost(node);
                if (up)
                {
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = e.Message });
                    up = false;
                }
                await Task.Delay(RetryGap, cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Polls every node once and records what each says, marked as the final observation.</summary>
    public Task FinalObservationAsync(CancellationToken cancellation) => PollOnceAsync("final", cancellation);

    private async Task PollOnceAsync(string source, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var json = await http.GetStringAsync(cluster.StatusUri(node), cancellation);
                var report = JsonSerializer.Deserialize<StatusReport>(json, Wire.Json)!;
                var statuses = report.Statuses();
                void Record()
                {
                    foreach (var status in statuses)
                    {
                        recorder.Record(t => Events.State(t, node, status, report.NodeWallMs, source));
                    }
                }
                // A poll never makes a node appear to go back to an older state (NodeWords).
                if (source == "final")
                {
                    _words.Finally(node, Record);
                }
                else
                {
                    _words.Polled(node, statuses, Record);
                }
            }
            catch (Exception e) when (source == "final" && e is HttpRequestException or TaskCanceledException or JsonException)
            {
                recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = $"final observation: {e.Message}" });
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // A node that is down or paused does not answer a poll; its stream tells the story.
            }
        }));
    }
}

/// <summary>Records what each member says about its role and term, and keeps the latest.</summary>
public interface IClusterObserver
{
    /// <summary>What each node last said, or null while it does not answer.</summary>
    IEnumerable<(string Node, NodeStatus? Status)> Latest { get; }

    /// <summary>
    /// What each node last said in every group it speaks for, nothing for a node that does not
    /// answer (stale claims included, as a client's metadata may be).
    /// </summary>
    IEnumerable<(string Node, NodeStatus Status)> Words =>
        Latest.Where(s => s.Status is not null).Select(s => (s.Node, s.Status!));

    Task RunAsync(CancellationToken cancellation);

    /// <summary>Asks every node once more after the final heal and records the answers as <c>final</c>.</summary>
    Task FinalObservationAsync(CancellationToken cancellation);
}
