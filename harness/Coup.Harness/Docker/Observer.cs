using System.Collections.Concurrent;
using System.Text.Json;
using Coup.Checkers.History;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Streams every node's role/term changes from its control API and records each on receipt.
/// A broken stream (killed node, partition from the controller) is recorded and retried.
/// </summary>
public sealed class Observer(DockerCluster cluster, Recorder recorder, IReadOnlyList<string> nodes)
{
    private static readonly TimeSpan RetryGap = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, NodeStatus?> _latest = new();

    /// <summary>What each node last said, or null while its stream is down.</summary>
    public IEnumerable<(string Node, NodeStatus? Status)> Latest => nodes.Select(n => (n, _latest.GetValueOrDefault(n)));

    public Task RunAsync(CancellationToken cancellation) => Task.WhenAll(nodes.Select(n => FollowAsync(n, cancellation)));

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
                while (await reader.ReadLineAsync(cancellation) is { } line)
                {
                    var report = JsonSerializer.Deserialize<StatusReport>(line, Wire.Json)!;
                    _latest[node] = report.ToStatus();
                    recorder.Record(t => Events.State(t, node, report.ToStatus(), report.NodeWallMs));
                }
                throw new IOException("event stream ended");
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException or JsonException)
            {
                _latest[node] = null;
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
    public async Task FinalObservationAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var json = await http.GetStringAsync(cluster.StatusUri(node), cancellation);
                var report = JsonSerializer.Deserialize<StatusReport>(json, Wire.Json)!;
                recorder.Record(t => Events.State(t, node, report.ToStatus(), report.NodeWallMs, source: "final"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = $"final observation: {e.Message}" });
            }
        }));
    }
}
