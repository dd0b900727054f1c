using System.Net;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// One run's nodes in containers: a labelled network with fixed addresses (so a restarted node
/// keeps its address and the partition rules stay right), containers n1..nN, and the fault
/// mechanisms that act on them. Everything it creates carries <see cref="RunLabel"/> and the labels
/// of the harness that owns it (<see cref="HarnessOwner"/>), by which a later harness removes it
/// once this one is gone (<see cref="OrphanSweep"/>).
/// </summary>
public sealed partial class DockerCluster : IAsyncDisposable
{
    public const string RunLabel = Coup.Reaper.ReaperContract.RunLabel;
    public const string NodeLabel = "coup.node";

    private readonly DockerClient _docker;
    private readonly string _runId;
    private readonly HarnessOwner _owner = LocalProcesses.Self;
    private readonly Dictionary<string, string> _containers = [];
    private string? _networkId;
    private ReaperContainer? _reaper;

    public DockerCluster(DockerClient docker, string runId)
    {
        _docker = docker;
        _runId = runId;
    }

    public IReadOnlyDictionary<string, IPAddress> Addresses => _addresses;
    private readonly Dictionary<string, IPAddress> _addresses = [];
    /// <summary>One per cluster: it keeps the cut in force, to put restarted nodes under it.</summary>
    public Mechanisms Faults => _faults ??= new(_docker, this);

    /// <summary>What names the cluster's resources (containers, network, reaper) by their labels.</summary>
    public string RunId => _runId;
    private Mechanisms? _faults;

    public string ContainerId(string node) => _containers[node];

    /// <summary>Starts Coup's own node host running <paramref name="algorithm"/> on every node.</summary>
    public Task StartAsync(
        string image, string algorithm, IReadOnlyList<string> nodes, int seed, CancellationToken cancellation) =>
        StartAsync(new CoupMembers(image, algorithm, seed, new AlgorithmSettings()), nodes, cancellation);

    /// <summary>
    /// Starts the reaper's container while the network and every node's container are created (inert
    /// until started: the reaper's sweep removes them by the run's label, and if the harness dies before
    /// the reaper runs, the next harness's orphan sweep does, by the owner's labels); starts the nodes
    /// at once only when the reaper runs, and waits until every node answers and the reaper greeted.
    /// </summary>
    public async Task StartAsync(IMembers members, IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        _members = members;
        var reaperImage = await NodeImage.EnsureReaperAsync(_docker, TextWriter.Null, cancellation);
        StartSteps.Begin();
        await Task.WhenAll(
            StartReaperAsync(reaperImage, cancellation), CreateNodesAsync(members, nodes, cancellation));
        await Task.WhenAll(nodes.Select(async n =>
        {
            await _docker.Containers.StartContainerAsync(_containers[n], new ContainerStartParameters(), cancellation);
            StartSteps.Done("node containers started");
        }));
        await Task.WhenAll(
        [
            Done(StartSteps, "reaper connected", _reaper!.ConnectedAsync),
            .. nodes.Select(n => Done(StartSteps, "every node answers", WaitReadyAsync(n, cancellation))),
        ]);
    }

    private async Task StartReaperAsync(string image, CancellationToken cancellation)
    {
        _reaper = await ReaperContainer.StartAsync(_docker, image, _runId, _owner, cancellation);
        StartSteps.Done("reaper started");
    }

    private async Task CreateNodesAsync(IMembers members, IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        var network = $"coup-{_runId}";
        var subnet = await CreateNetworkAsync(network, cancellation);
        StartSteps.Done("network created");
        foreach (var (node, index) in nodes.Select((n, i) => (n, i)))
        {
            _addresses[node] = subnet.Host(10 + index + 1);
        }
        await Task.WhenAll(nodes.Select(n => CreateAsync(members, n, network, cancellation)));
        StartSteps.Done("node containers created");
    }

    /// <summary>Where a start's time went (the bench prints it).</summary>
    public StepTimes StartSteps { get; } = new();

    /// <summary>Where a teardown's time went (the bench prints it).</summary>
    public StepTimes TeardownSteps { get; } = new();

    private static async Task Done(StepTimes steps, string step, Task task)
    {
        await task;
        steps.Done(step);
    }

    private async Task CreateAsync(IMembers members, string node, string network, CancellationToken cancellation)
    {
        var recipe = members.Recipe(node, _addresses);
        var parameters = new CreateContainerParameters
        {
            Image = members.Image,
            Name = $"coup-{_runId}-{node}",
            Labels = new Dictionary<string, string>(_owner.Labels) { [RunLabel] = _runId, [NodeLabel] = node },
            Env = [.. recipe.Environment.Select(e => $"{e.Key}={e.Value}")],
            HostConfig = new HostConfig { CapAdd = ["NET_ADMIN"], NetworkMode = network },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [network] = new()
                    {
                        IPAMConfig = new EndpointIPAMConfig { IPv4Address = _addresses[node].ToString() },
                        Aliases = [node],
                    },
                },
            },
        };
        if (recipe.Command is { } command)
        {
            parameters.Entrypoint = [command[0]];
            parameters.Cmd = [.. command.Skip(1)];
        }
        var created = await _docker.Containers.CreateContainerAsync(parameters, cancellation);
        lock (_containers)
        {
            _containers[node] = created.ID;
        }
    }

    private IMembers? _members;
    public IMembers Members => _members ?? throw new InvalidOperationException("the cluster has not been started");

    /// <summary>Ready when the member answers its probe; one that never answers is an environment error.</summary>
    public async Task WaitReadyAsync(string node, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + Members.ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await Members.AnswersAsync(node, _addresses[node], cancellation))
            {
                return;
            }
            await Task.Delay(20, cancellation);
        }
        throw CoupException.Environment(
            $"node {node} did not answer {Members.ReadyProbe(_addresses[node])}"
                + $" within {Members.ReadyTimeout.TotalSeconds}s; see its log in the run store");
    }

    /// <summary>The node's wall clock as its own process reads it, skew included.</summary>
    public Task<ClockReading> ReadClockAsync(string node, CancellationToken cancellation) =>
        Members.ReadClockAsync(node, _addresses[node], LogOf(node), cancellation);

    private MemberLog LogOf(string node) => async (sinceUtc, cancellation) =>
    {
        var since = new DateTimeOffset(sinceUtc, TimeSpan.Zero).ToUnixTimeSeconds()
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (stdout, stderr) = await LogsAsync(_containers[node], since, cancellation);
        return stdout + stderr;
    };

    public Uri StatusUri(string node) => new($"http://{_addresses[node]}:{Wire.ControlPort}/status");
    public Uri EventsUri(string node) => new($"http://{_addresses[node]}:{Wire.ControlPort}/events");
    public Uri WriteUri(string node, long id) => new($"http://{_addresses[node]}:{Wire.ControlPort}/write?id={id}");

    /// <summary>Copies each node's stdout and stderr into the run store.</summary>
    public async Task CopyLogsAsync(Func<string, string> directoryOf, CancellationToken cancellation)
    {
        foreach (var (node, container) in _containers)
        {
            try
            {
                var (stdout, stderr) = await LogsAsync(container, LogsSinceUnixS(node), cancellation);
                await File.WriteAllTextAsync(
                    Path.Combine(directoryOf(node), "node.log"), stdout + stderr, cancellation);
            }
            catch (Exception e) when (e is DockerApiException or IOException)
            {
                await File.WriteAllTextAsync(
                    Path.Combine(directoryOf(node), "node.log"), $"logs unavailable: {e.Message}\n", cancellation);
            }
        }
    }

    /// <param name="sinceUnixS">Seconds since the Unix epoch, with a fraction or none, as the engine takes it.</param>
    private async Task<(string Stdout, string Stderr)> LogsAsync(
        string container, string sinceUnixS, CancellationToken cancellation)
    {
        using var stream = await _docker.Containers.GetContainerLogsAsync(container, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Since = sinceUnixS,
        }, cancellation);
        return await stream.ReadOutputToEndAsync(cancellation);
    }

    /// <summary>
    /// Removes the nodes at once (SIGKILL: the run is recorded by now, so no grace period is owed),
    /// then the network and the reaper at once: the reaper is kept until no node is left running, and a
    /// network left by a harness cut short there is the next harness's orphan sweep's.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        TeardownSteps.Begin();
        try
        {
            await Task.WhenAll(_containers.Values.Select(c => Cleanup.RemoveContainerAsync(_docker, c)));
            TeardownSteps.Done("node containers removed");
        }
        finally
        {
            await Task.WhenAll(RemoveNetworkAsync(), RemoveReaperAsync());
        }
    }

    private async Task RemoveNetworkAsync()
    {
        if (_networkId is not null)
        {
            await Cleanup.RemoveNetworkAsync(_docker, _networkId);
            TeardownSteps.Done("network removed");
        }
    }

    private async Task RemoveReaperAsync()
    {
        if (_reaper is not null)
        {
            await _reaper.DisposeAsync();
            TeardownSteps.Done("reaper removed");
        }
    }

    /// <summary>
    /// Creates the run's network on a subnet given at creation, so node addresses can be fixed: picked
    /// by the harness on a local engine (<see cref="RunSubnets"/>), else first picked by the engine in
    /// a network made to learn it, deleted and made again pinned.
    /// </summary>
    private async Task<Subnet> CreateNetworkAsync(string name, CancellationToken cancellation)
    {
        var labels = new Dictionary<string, string>(_owner.Labels) { [RunLabel] = _runId };
        if (!DockerEngine.IsLocal || !File.Exists(RunSubnets.RoutesFile))
        {
            var probe = await _docker.Networks.CreateNetworkAsync(
                new NetworksCreateParameters { Name = name, Labels = labels }, cancellation);
            var inspected = await _docker.Networks.InspectNetworkAsync(probe.ID, cancellation);
            await _docker.Networks.DeleteNetworkAsync(probe.ID, cancellation);
            return await CreatePinnedNetworkAsync(name, labels, Subnet.Parse(inspected.IPAM.Config[0].Subnet),
                cancellation);
        }
        var random = new Random();
        for (var attempt = 1; ; attempt++)
        {
            var networks = await _docker.Networks.ListNetworksAsync(new NetworksListParameters(), cancellation);
            List<Subnet> taken =
            [
                .. networks.SelectMany(n => n.IPAM?.Config ?? []).Select(c => c.Subnet)
                    .Where(subnet => subnet?.Contains('.') == true).Select(Subnet.Parse),
                .. RunSubnets.Routes(await File.ReadAllTextAsync(RunSubnets.RoutesFile, cancellation)),
            ];
            var subnet = RunSubnets.Pick(taken, random) ?? throw CoupException.Environment(
                "no free /24 is left in 172.17.0.0-172.31.255.0 for the run's network; `coup clean` removes "
                + "networks of runs whose harness is gone");
            try
            {
                return await CreatePinnedNetworkAsync(name, labels, subnet, cancellation);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Forbidden
                && attempt < NetworkAttempts)
            {
                // Another harness took an overlapping subnet since the list was read.
            }
        }
    }

    /// <summary>Picks of a run's subnet before giving up: each lost only to a harness creating at once.</summary>
    private const int NetworkAttempts = 5;

    private async Task<Subnet> CreatePinnedNetworkAsync(
        string name, IDictionary<string, string> labels, Subnet subnet, CancellationToken cancellation)
    {
        var created = await _docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Labels = labels,
            IPAM = new IPAM { Config = [new IPAMConfig { Subnet = subnet.ToString() }] },
        }, cancellation);
        _networkId = created.ID;
        return subnet;
    }
}
