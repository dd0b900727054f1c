using System.Net;
using System.Net.Http.Json;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Client processes writing at a steady rate, one write outstanding per process, each recorded
/// as an invoke and its ok / fail / info completion. Each process has its own client session;
/// a client that does not pick its server itself (a session, a Sentinel's answer) sends each
/// write where <see cref="WriteRouting"/> says, from what <paramref name="observer"/> last saw.
/// </summary>
public sealed class Workload(Recorder recorder, RunPlan plan, Func<int, ISystemClient> connect, IClusterObserver observer)
{
    /// <summary>Coup's algorithms may split writes into groups (partitions); a real system's are all in one.</summary>
    private readonly IAlgorithmDefinition? _algorithm = plan.System is null ? Algorithms.Get(plan.Algorithm) : null;
    private long _nextValue;

    /// <summary>Coup's node host: writes through the control API.</summary>
    public static Workload ForCoupNodes(DockerCluster cluster, IClusterObserver observer, Recorder recorder, RunPlan plan) =>
        new(recorder, plan, _ => new CoupNodeClient(cluster), observer);

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(p => ProcessAsync(p, cancellation)));

    private async Task ProcessAsync(int process, CancellationToken cancellation)
    {
        var random = WriteRouting.ForProcess(plan.Seed, process);
        await using var client = connect(process);
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                var gapNs = WriteRouting.GapNs(plan.WriteRateHz, random);
                await Task.Delay(TimeSpan.FromMilliseconds(gapNs / 1e6), cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var value = Interlocked.Increment(ref _nextValue);
            var node = await client.ServerAsync(CancellationToken.None)
                ?? WriteRouting.Choose(WriteRouting.GroupOf(_algorithm, value), observer.Words, plan.NodeNames, random);
            var invoke = recorder.Record(t => Events.Invoke(t, process, node, value));
            // Not cancelled by the run ending: a write in flight is always completed or timed out.
            var write = await client.WriteAsync(node, value, CancellationToken.None);
            recorder.Record(t => Events.Completion(t, invoke, write.Outcome) with { AcknowledgedBy = write.Outcome.Phase == "ok" ? write.AcknowledgedBy : null });
        }
    }
}

/// <summary>Writes through a Coup node's control API; the node that answers ok is the leader that acknowledged.</summary>
public sealed class CoupNodeClient(DockerCluster cluster) : ISystemClient
{
    /// <summary>Longer than the node's own write timeout, so the node's answer usually arrives first.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(WriteContract.TimeoutMs + 500);
    private readonly HttpClient _http = new() { Timeout = ClientTimeout };

    public async Task<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation) =>
        new(await OutcomeAsync(node, value, cancellation), AcknowledgedBy: null);

    private async Task<WriteOutcome> OutcomeAsync(string node, long value, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.PostAsync(cluster.WriteUri(node, value), content: null, cancellation);
            var reply = await response.Content.ReadFromJsonAsync<WriteReply>(Wire.Json, cancellation);
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

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
