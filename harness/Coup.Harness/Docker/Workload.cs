using Coup.Faults;
using System.Net;
using System.Net.Http.Json;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Client processes writing at a steady rate to random nodes through their control API, one
/// write outstanding per process, each recorded as an invoke and its ok / fail / info completion.
/// </summary>
public sealed class Workload(DockerCluster cluster, Recorder recorder, RunPlan plan)
{
    /// <summary>Longer than the node's own write timeout, so the node's answer usually arrives first.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(WriteContract.TimeoutMs + 500);
    private long _nextValue;

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(p => ProcessAsync(p, cancellation)));

    private async Task ProcessAsync(int process, CancellationToken cancellation)
    {
        var random = new Random(Seeds.Derive(plan.Seed, process));
        using var http = new HttpClient { Timeout = ClientTimeout };
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1 / plan.WriteRateHz * (0.5 + random.NextDouble())), cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var node = plan.NodeNames[random.Next(plan.Nodes)];
            var value = Interlocked.Increment(ref _nextValue);
            var invoke = recorder.Record(t => Events.Invoke(t, process, node, value));
            var outcome = await WriteAsync(http, node, value);
            recorder.Record(t => Events.Completion(t, invoke, outcome));
        }
    }

    /// <summary>Not cancelled by the run ending: a write in flight is always completed or timed out.</summary>
    private async Task<WriteOutcome> WriteAsync(HttpClient http, string node, long value)
    {
        try
        {
            using var response = await http.PostAsync(cluster.WriteUri(node, value), content: null);
            var reply = await response.Content.ReadFromJsonAsync<WriteReply>(Wire.Json);
            return response.StatusCode switch
            {
                HttpStatusCode.OK when reply?.Term is { } term => WriteOutcome.Ok(term, reply.Group ?? "default"),
                HttpStatusCode.Conflict => WriteOutcome.Fail(reply?.Error ?? "refused"),
                _ => WriteOutcome.Info(reply?.Error ?? $"HTTP {(int)response.StatusCode}"),
            };
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            // Refused before anything was sent: the write cannot have happened.
            return WriteOutcome.Fail($"connection refused: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
        {
            return WriteOutcome.Info(e.Message);
        }
    }
}
