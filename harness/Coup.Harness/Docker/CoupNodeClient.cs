using System.Net;
using System.Net.Http.Json;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Writes through a Coup node's control API; the node that answers ok is the leader that acknowledged.
/// </summary>
public sealed class CoupNodeClient(DockerCluster cluster) : ISystemClient
{
    /// <summary>Longer than the node's own write timeout, so the node's answer usually arrives first.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(WriteContract.TimeoutMs + 500);
    private readonly HttpClient _http = new() { Timeout = ClientTimeout };

    public async ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation) =>
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
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException
            or System.Text.Json.JsonException)
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
