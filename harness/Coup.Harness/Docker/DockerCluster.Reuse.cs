using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Coup.Nodes;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// A cluster of Coup's nodes made ready for another run without the engine's container start
/// (3 s of a 4.5 s start, bench/README.md): every node resumed, its fault leftovers cleared (iptables
/// chains, tc qdiscs, the faketime spec), and its node host replaced by a new process with the next
/// run's settings and an empty data directory (<c>POST /reset</c>, nodes/README.md).
/// </summary>
public sealed partial class DockerCluster
{
    /// <summary>
    /// Per node, the engine's log time from which this run's log is kept: when its node host was
    /// replaced (none: all of it, a fresh cluster's).
    /// </summary>
    private readonly Dictionary<string, string> _logsSinceUnixS = [];

    private string LogsSinceUnixS(string node)
    {
        lock (_logsSinceUnixS)
        {
            return _logsSinceUnixS.GetValueOrDefault(node, "0");
        }
    }

    /// <summary>Each node's uptime (s) when its node host was last replaced in place (libfaketime's rate).</summary>
    private readonly Dictionary<string, double> _replacedAtUptimeS = [];

    private static readonly TimeSpan ReadyTimeoutOfKilled = TimeSpan.FromSeconds(30);
    /// <summary>How long a node whose process died during the reset is given before it is asked again.</summary>
    private static readonly TimeSpan KilledSettleTime = TimeSpan.FromMilliseconds(500);
    /// <summary>How many times a node's leftovers are cleared before the reset gives up (then a fresh cluster
    /// starts).</summary>
    private const int ClearAttempts = 4;

    private static readonly HttpClient ControlApi = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// When this cluster can run <paramref name="members"/> on <paramref name="nodes"/> after a reset:
    /// Coup's node host from the same image on the same nodes. Real systems always start fresh: their
    /// state outside a data directory (etcd's member ids, ZooKeeper's epochs) is not known to be reset.
    /// </summary>
    public bool CanServe(IMembers members, IReadOnlyList<string> nodes) =>
        _members is CoupMembers && members is CoupMembers && members.Image == _members.Image
        && nodes.SequenceEqual(_addresses.Keys) && _containers.Count == nodes.Count;

    /// <summary>
    /// Gives the next run the starting state a fresh cluster gives it. Old and new node hosts must not
    /// meet (an old leader's term would reach a new node), so each node refuses its peers' connections
    /// before its node host is replaced, and the refusals are lifted once every old one is gone: the new
    /// ones boot meanwhile, and boot among their peers as in a fresh cluster (left refused until every
    /// one answered, each bully node led alone when the run began). Throws when any step fails: the
    /// caller then starts a fresh cluster.
    /// </summary>
    public async Task ResetAsync(IMembers members, CancellationToken cancellation)
    {
        if (!CanServe(members, [.. _addresses.Keys]))
        {
            throw new InvalidOperationException($"this cluster cannot run {members.Image} on these nodes");
        }
        StartSteps.Begin();
        _members = members;
        _faults = null;
        var nodes = _addresses.Keys.ToList();
        await Task.WhenAll(nodes.Select(n => ReplaceAsync(n, nodes, cancellation)));
        await Task.WhenAll(nodes.Select(n => Done(StartSteps, "peers let in",
            Faults.ExecAsync(n, RemoveChainScript(Mechanisms.Chain), cancellation))));
        await Task.WhenAll(nodes.Select(n => Done(StartSteps, "every node answers", WaitReadyAsync(n, cancellation))));
    }

    /// <summary>
    /// One node, apart from the others: a replaced node host cannot reach an old one (it refuses their
    /// TCP, replies included) nor be reached by one, whatever the others' progress.
    /// </summary>
    private async Task ReplaceAsync(string node, IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        await RunningAsync(node, cancellation);
        StartSteps.Done("nodes running");
        var peers = nodes.Where(p => p != node).Select(p => _addresses[p].ToString()).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Faults.ExecAsync(node, ClearScript(peers), cancellation);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < ClearAttempts)
            {
                // A node killed just before the reset can die between the engine's answer and the exec (its
                // process gone, nsenter finds no namespace), and a loaded engine can take a while to see it:
                // once the engine sees it stopped (RunningAsync waits for that), start it and clear again.
                await Task.Delay(KilledSettleTime, cancellation);
                await RunningAsync(node, cancellation);
            }
        }
        StartSteps.Done("leftovers cleared, peers refused");
        await ReplaceHostAsync(node, cancellation);
        StartSteps.Done("node hosts replaced");
    }

    /// <summary>A paused node is resumed; a stopped one (killed and never restarted) started and waited for.</summary>
    /// <remarks>
    /// A process killed directly a moment ago may still be running for the engine (Mechanisms.StartAsync):
    /// until the engine sees it gone, the node is waited for.
    /// </remarks>
    private async Task RunningAsync(string node, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + ReadyTimeoutOfKilled;
        State state;
        while ((state = (await _docker.Containers.InspectContainerAsync(_containers[node], cancellation)).State
            ?? throw new InvalidOperationException($"the engine gave no state for {node}")) is
            { Running: true, Pid: > 0 } && DockerEngine.IsLocal && !File.Exists($"/proc/{state.Pid}/ns/net"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the engine still took {node} for running, its process dead");
            }
            await Task.Delay(20, cancellation);
        }
        if (state.Paused)
        {
            await _docker.Containers.UnpauseContainerAsync(_containers[node], cancellation);
        }
        else if (!state.Running)
        {
            await _docker.Containers.StartContainerAsync(_containers[node], new ContainerStartParameters(),
                cancellation);
            await WaitReadyAsync(node, cancellation);
        }
    }

    /// <summary>
    /// Removes every rule and qdisc a fault leaves, puts the clock back to true time, and refuses the
    /// peers' TCP (a reset, so a refused link retries at once rather than after a SYN's timeout).
    /// </summary>
    private static string ClearScript(IEnumerable<string> peers)
    {
        var chain = Mechanisms.Chain;
        var refusals = string.Concat(
            peers.Select(p => $"-A {chain} -s {p} -p tcp -j REJECT --reject-with tcp-reset\\n"));
        return $"{RemoveChainScript(PacketPaths.LossChain)}; {PacketPaths.NetemClearScript}; "
            + $"echo '+0' > {Mechanisms.ClockFile}.tmp && mv {Mechanisms.ClockFile}.tmp {Mechanisms.ClockFile}; "
            + $"{RemoveChainScript(chain)}; "
            + $"printf \"*filter\\n:{chain} - [0:0]\\n-I INPUT -j {chain}\\n{refusals}COMMIT\\n\" "
            + "| iptables-restore -w --noflush";
    }

    /// <summary>Every jump to the chain, its rules and the chain itself, as a container that never had it.</summary>
    private static string RemoveChainScript(string chain) =>
        $"while iptables -w -D INPUT -j {chain} 2>/dev/null; do :; done; "
        + $"iptables -w -F {chain} 2>/dev/null; iptables -w -X {chain} 2>/dev/null; true";

    /// <summary>
    /// Sends the next run's settings; the node host re-executes itself and the connection closes
    /// unanswered, which is how it says it took them (a refusal is answered).
    /// </summary>
    private async Task ReplaceHostAsync(string node, CancellationToken cancellation)
    {
        var settings = string.Concat(Members.Recipe(node, _addresses).Environment.Select(e => $"{e.Key}={e.Value}\n"));
        using var request = new HttpRequestMessage(HttpMethod.Post, ResetUri(node))
        {
            Content = new StringContent(settings, Encoding.UTF8, "text/plain"),
        };
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await ControlApi.SendAsync(request, cancellation);
            throw new InvalidOperationException($"{node} refused its reset: {(int)response.StatusCode} "
                + await response.Content.ReadAsStringAsync(cancellation));
        }
        catch (HttpRequestException e) when (e.InnerException is IOException or SocketException || e.HttpRequestError
            is HttpRequestError.ResponseEnded or HttpRequestError.ConnectionError)
        {
            // Closed unanswered: the old process is gone, and what the log says from now on is the new one's.
            var nowS = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            lock (_logsSinceUnixS)
            {
                _logsSinceUnixS[node] = nowS.ToString("0.000", CultureInfo.InvariantCulture);
            }
        }
        var uptime = await Faults.ExecAsync(node, "cut -d' ' -f1 /proc/uptime", cancellation);
        lock (_replacedAtUptimeS)
        {
            _replacedAtUptimeS[node] = double.Parse(uptime, CultureInfo.InvariantCulture);
        }
    }

    private Uri ResetUri(string node) => new($"http://{_addresses[node]}:{Wire.ControlPort}/reset");

    /// <summary>The node's uptime (s) when its node host was replaced in place, or 0 when it never was.</summary>
    public double ReplacedAtUptimeS(string node)
    {
        lock (_replacedAtUptimeS)
        {
            return _replacedAtUptimeS.GetValueOrDefault(node);
        }
    }

    /// <summary>
    /// The teardown of a run whose cluster is kept for the next: every node paused (its process
    /// stopped, using no CPU while the run is checked), logs kept before by the run loop. A stopped
    /// node is left stopped; the reset starts it.
    /// </summary>
    public async Task StandByAsync(CancellationToken cancellation)
    {
        TeardownSteps.Begin();
        await Task.WhenAll(_containers.Values.Select(async id =>
        {
            var state = (await _docker.Containers.InspectContainerAsync(id, cancellation)).State;
            if (state is { Running: true, Paused: false })
            {
                await _docker.Containers.PauseContainerAsync(id, cancellation);
            }
            TeardownSteps.Done("nodes paused");
        }));
    }
}
