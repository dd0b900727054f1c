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
/// <paramref name="choose"/> picks the node each write (by its value) goes to.
/// </summary>
public sealed class Workload(Recorder recorder, RunPlan plan, Func<int, ISystemClient> connect, Func<Random, long, string> choose)
{
    private long _nextValue;

    /// <summary>Coup's node host: writes through the control API to the nodes <see cref="WriteRouting"/> picks.</summary>
    public static Workload ForCoupNodes(DockerCluster cluster, IClusterObserver observer, Recorder recorder, RunPlan plan)
    {
        var algorithm = Algorithms.Get(plan.Algorithm);
        return new(recorder, plan, _ => new CoupNodeClient(cluster),
            (random, value) => WriteRouting.Choose(algorithm, value, plan.NodeNames, observer.Claimants, random));
    }

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(p => ProcessAsync(p, cancellation)));

    private async Task ProcessAsync(int process, CancellationToken cancellation)
    {
        var random = new Random(Seeds.Derive(plan.Seed, process));
        await using var client = connect(process);
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
            var value = Interlocked.Increment(ref _nextValue);
            var node = await client.ServerAsync(CancellationToken.None) ?? choose(random, value);
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
