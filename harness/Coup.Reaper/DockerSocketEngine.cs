using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Coup.Reaper;

/// <summary>The Docker engine API over its Unix socket, the few calls a sweep needs, with no client library.</summary>
public sealed class DockerSocketEngine : IContainerEngine, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public DockerSocketEngine(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = RequestTimeout };
    }

    public Task<IReadOnlyList<Labelled>> ContainersAsync(string label, CancellationToken cancellation) =>
        ListAsync($"/containers/json?all=true&filters={Filter(label)}", cancellation);

    public Task<IReadOnlyList<Labelled>> NetworksAsync(string label, CancellationToken cancellation) =>
        ListAsync($"/networks?filters={Filter(label)}", cancellation);

    public Task RemoveContainerAsync(string id, CancellationToken cancellation) =>
        DeleteAsync($"/containers/{Uri.EscapeDataString(id)}?force=true&v=true", cancellation);

    public Task RemoveNetworkAsync(string id, CancellationToken cancellation) =>
        DeleteAsync($"/networks/{Uri.EscapeDataString(id)}", cancellation);

    public void Dispose() => _http.Dispose();

    private static string Filter(string label)
    {
        var filters = new Dictionary<string, string[]> { ["label"] = [label] };
        return Uri.EscapeDataString(JsonSerializer.Serialize(filters, FilterJson.Default.DictionaryStringStringArray));
    }

    private async Task<IReadOnlyList<Labelled>> ListAsync(string path, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, path, cancellation);
        await EnsureAsync(response, path, cancellation);
        var body = await response.Content.ReadAsStreamAsync(cancellation);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellation);
        return [.. document.RootElement.EnumerateArray().Select(Read)];
    }

    private static Labelled Read(JsonElement item)
    {
        var labels = new Dictionary<string, string>();
        if (item.TryGetProperty("Labels", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in map.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }
        }
        return new Labelled(item.GetProperty("Id").GetString()!, labels);
    }

    private async Task DeleteAsync(string path, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, cancellation);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, path, cancellation);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellation)
    {
        try
        {
            return await _http.SendAsync(new HttpRequestMessage(method, path), cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException
            && !cancellation.IsCancellationRequested)
        {
            throw new EngineException($"{method} {path}: {e.Message}", e);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string path, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = (await response.Content.ReadAsStringAsync(cancellation)).Trim();
            throw new EngineException($"{response.RequestMessage?.Method} {path}: {(int)response.StatusCode} {body}");
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class FilterJson : System.Text.Json.Serialization.JsonSerializerContext;
