using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace Coup.Harness.Docker;

/// <summary>
/// Finds the Docker engine, asks it which API version it speaks, and sets up Testcontainers for
/// it: Debian's engine serves 1.41 while Testcontainers asks for newer, and Ryuk cannot be pulled.
/// </summary>
public static class DockerEngine
{
    public const string DefaultSocket = "/var/run/docker.sock";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The engine's address: DOCKER_HOST, or the local socket.</summary>
    public static Uri Host => new(HostAddress);

    /// <summary>The engine runs on this host (a Unix socket, or TCP on loopback): its routes are ours.</summary>
    public static bool IsLocal => Host is { Scheme: "unix" } or { Scheme: "tcp", IsLoopback: true };

    private static string HostAddress =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") ?? $"unix://{DefaultSocket}";

    public static async Task<DockerClient> ConnectAsync(CancellationToken cancellation)
    {
        var host = HostAddress;
        var version = await ApiVersionAsync(host, cancellation);
        Environment.SetEnvironmentVariable("DOCKER_API_VERSION", version.ToString());
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        return new DockerClientBuilder().WithEndpoint(new Uri(host)).WithApiVersion(version).Build();
    }

    private static async Task<Version> ApiVersionAsync(string host, CancellationToken cancellation)
    {
        var uri = new Uri(host);
        var handler = new SocketsHttpHandler();
        var baseAddress = uri;
        if (uri.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.AbsolutePath), token);
                return new NetworkStream(socket, ownsSocket: true);
            };
            baseAddress = new Uri("http://docker");
        }
        else if (uri.Scheme == "tcp")
        {
            baseAddress = new Uri($"http://{uri.Authority}");
        }
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = ProbeTimeout };
        try
        {
            var answer = await http.GetFromJsonAsync<JsonElement>("/version", cancellation);
            return Version.Parse(answer.GetProperty("ApiVersion").GetString()!);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException
            or JsonException or IOException)
        {
            throw CoupException.Environment(
                $"no Docker engine reachable at {host}"
                    + $" ({e.Message}); start one (apt-get install -y docker.io && dockerd &) or use --runtime sim",
                e);
        }
    }
}
