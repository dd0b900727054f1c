using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Coup.Reaper;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// The run's reaper (harness/Coup.Reaper), started before anything else of the run: the harness
/// holds a connection to it until the run's containers and network are removed. If the harness
/// dies first, even by SIGKILL, the kernel closes that connection and the reaper removes everything
/// labelled with the run id, then itself (Testcontainers' Ryuk, which cannot be pulled here).
/// </summary>
public sealed class ReaperContainer : IAsyncDisposable
{
    /// <summary>
    /// Bounds how long the harness waits for the reaper to answer, generous for a loaded machine
    /// (the image exists by then). A connection given up on is closed, and a reaper left with none
    /// sweeps a grace period later, so one greeting is waited for well beyond what a start takes.
    /// </summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan GreetingTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly string PublishedPort = $"{ReaperContract.Port}/tcp";

    private readonly DockerClient _docker;
    private readonly string _containerId;
    private readonly Task<TcpClient> _connection;

    private ReaperContainer(DockerClient docker, string containerId, Task<TcpClient> connection)
    {
        _docker = docker;
        _containerId = containerId;
        _connection = connection;
    }

    /// <summary>
    /// Done once the reaper has greeted the harness's connection; the run's nodes may start
    /// meanwhile, since its container already runs and sweeps if no connection ever reaches it.
    /// </summary>
    public Task ConnectedAsync => _connection;

    public static async Task<ReaperContainer> StartAsync(
        DockerClient docker, string image, string runId, HarnessOwner owner, CancellationToken cancellation)
    {
        var endpoint = ReaperEndpoint.For(DockerEngine.Host);
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Name = $"coup-{runId}-reaper",
            // The owner's labels let a later harness remove a reaper that was created but never started.
            Labels = new Dictionary<string, string>(owner.Labels)
            {
                [ReaperContract.RunLabel] = runId,
                [ReaperContract.RoleLabel] = ReaperContract.ReaperRole,
            },
            Env = [$"{ReaperContract.RunVariable}={runId}"],
            ExposedPorts = new Dictionary<string, EmptyStruct> { [PublishedPort] = default },
            HostConfig = new HostConfig
            {
                // Gone once it has swept: nothing of the run, the reaper included, is left.
                AutoRemove = true,
                Binds = [$"{endpoint.EngineSocket}:{ReaperContract.EngineSocket}"],
                // No host port given: the engine picks a free one.
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [PublishedPort] = [new PortBinding { HostIP = endpoint.PublishAddress, HostPort = "" }],
                },
            },
        }, cancellation);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellation);
        }
        catch
        {
            await RemoveAsync(docker, created.ID);
            throw;
        }
        return new ReaperContainer(
            docker, created.ID, ConnectAsync(docker, created.ID, image, endpoint, runId, cancellation));
    }

    /// <summary>Finds the port the engine published for the reaper, then connects to it.</summary>
    private static async Task<TcpClient> ConnectAsync(DockerClient docker, string containerId, string image,
        ReaperEndpoint endpoint, string runId, CancellationToken cancellation)
    {
        var inspected = await docker.Containers.InspectContainerAsync(containerId, cancellation);
        var published = inspected.NetworkSettings?.Ports is { } ports
            && ports.TryGetValue(PublishedPort, out var bindings)
            ? bindings?.FirstOrDefault()?.HostPort
            : null;
        var hostPort = int.TryParse(published, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw CoupException.Environment($"the engine published no port for the run's reaper ({image})");
        return await ConnectAsync(endpoint.ConnectHost, hostPort, runId, cancellation);
    }

    /// <summary>
    /// A published port accepts even before the reaper listens (the engine's proxy answers), so
    /// only the reaper's greeting proves the connection that keeps the run alive reached it.
    /// </summary>
    private static async Task<TcpClient> ConnectAsync(
        string host, int port, string runId, CancellationToken cancellation)
    {
        var greeting = ReaperContract.Greeting(runId);
        var deadline = DateTime.UtcNow + AnswerTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var client = new TcpClient();
            try
            {
                using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                answer.CancelAfter(GreetingTimeout);
                await client.ConnectAsync(host, port, answer.Token);
                var buffer = new byte[greeting.Length];
                var read = 0;
                int count;
                var stream = client.GetStream();
                while (read < buffer.Length
                    && (count = await stream.ReadAsync(buffer.AsMemory(read), answer.Token)) > 0)
                {
                    read += count;
                }
                if (Encoding.ASCII.GetString(buffer, 0, read) == greeting)
                {
                    return client;
                }
                last = read == 0
                    ? "closed before its greeting"
                    : $"answered '{Encoding.ASCII.GetString(buffer, 0, read).Trim()}'";
            }
            catch (Exception e) when (e is SocketException or IOException
                || e is OperationCanceledException && !cancellation.IsCancellationRequested)
            {
                last = e.Message;
            }
            client.Dispose();
            await Task.Delay(RetryDelay, cancellation);
        }
        throw CoupException.Environment(
            $"the run's reaper did not answer on {host}:{port} within {AnswerTimeout.TotalSeconds:0}s ({last}); "
            + "with a remote DOCKER_HOST the engine's host must accept connections to published ports");
    }

    /// <summary>
    /// Removes the reaper once the harness has removed the run itself; closing the connection
    /// alone would have it sweep, a grace period later.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RemoveAsync(_docker, _containerId);
        }
        finally
        {
            if (await _connection.ContinueWith(c => c, TaskScheduler.Default)
                is { IsCompletedSuccessfully: true } connected)
            {
                connected.Result.Dispose();
            }
        }
    }

    private static async Task RemoveAsync(DockerClient docker, string id)
    {
        try
        {
            await Cleanup.RemoveContainerAsync(docker, id);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // The engine is already removing it (auto-remove after it exited).
        }
    }
}

/// <summary>
/// Where the reaper finds the engine and where the harness finds the reaper, for a DOCKER_HOST.
/// A local engine (a Unix socket, or TCP on loopback): the reaper's port is published on loopback
/// only. A remote engine over TCP: the port is published on the engine host's interfaces and the
/// harness connects to that host, as Testcontainers does with Ryuk; the reaper mounts the engine
/// host's default socket.
/// </summary>
public sealed record ReaperEndpoint(string EngineSocket, string PublishAddress, string ConnectHost)
{
    private const string Loopback = "127.0.0.1";

    public static ReaperEndpoint For(Uri dockerHost) => dockerHost.Scheme switch
    {
        "unix" => new(dockerHost.AbsolutePath, Loopback, Loopback),
        "tcp" when dockerHost.IsLoopback => new(ReaperContract.EngineSocket, Loopback, Loopback),
        "tcp" => new(ReaperContract.EngineSocket, "0.0.0.0", dockerHost.Host),
        _ => throw CoupException.Environment(
            $"DOCKER_HOST {dockerHost}: Coup reaches an engine over unix:// or tcp:// only"),
    };
}
